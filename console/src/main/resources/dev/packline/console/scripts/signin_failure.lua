-- signin_failure.lua: count one failed sign-in of an account in its lockout window.
-- KEYS[1] failures  string (counter)
-- ARGV[1] window    seconds the count lives from the first failure
-- Returns {failures so far, seconds until the window ends}
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
end
return {n, redis.call('TTL', KEYS[1])}

-- trim.lua: drop done records and dead letters older than their retention age (the count bounds
-- are kept by complete.lua and dead_letter.lua as they add). At most 1000 of each per call.
-- KEYS[1] meta     hash
-- KEYS[2] payload  hash
-- KEYS[3] done     zset
-- KEYS[4] dead     zset
-- ARGV[1] now (ms)
-- ARGV[2] max age of done records (ms)
-- ARGV[3] max age of dead letters (ms)
-- Returns {doneRemoved, deadRemoved}
local now = tonumber(ARGV[1])
local done = redis.call('ZRANGE', KEYS[3], '-inf', now - tonumber(ARGV[2]), 'BYSCORE', 'LIMIT', 0, 1000)
if #done > 0 then
  redis.call('HDEL', KEYS[1], unpack(done))
  redis.call('ZREM', KEYS[3], unpack(done))
end
local dead = redis.call('ZRANGE', KEYS[4], '-inf', now - tonumber(ARGV[3]), 'BYSCORE', 'LIMIT', 0, 1000)
if #dead > 0 then
  redis.call('HDEL', KEYS[1], unpack(dead))
  redis.call('HDEL', KEYS[2], unpack(dead))
  redis.call('ZREM', KEYS[4], unpack(dead))
end
return {#done, #dead}

-- delete_dead.lua: forget dead letters for good.
-- KEYS[1] dead     zset
-- KEYS[2] meta     hash
-- KEYS[3] payload  hash
-- ARGV[1..] job ids
-- Returns the number deleted
local count = 0
for i = 1, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    redis.call('HDEL', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i])
    count = count + 1
  end
end
return count

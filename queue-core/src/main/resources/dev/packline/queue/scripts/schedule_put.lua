-- schedule_put.lua: create, change, pause, resume or remove a schedule, definition and next tick together.
-- KEYS[1] defs  hash  schedule name -> JSON definition
-- KEYS[2] due   zset  schedule name -> next tick (ms); absent while paused
-- ARGV[1] name
-- ARGV[2] JSON definition, or '' to remove the schedule
-- ARGV[3] next tick (ms), or '' when paused (no tick)
-- Returns 1 when the schedule existed before, else 0
local existed = redis.call('HEXISTS', KEYS[1], ARGV[1])
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  return existed
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
end
return existed

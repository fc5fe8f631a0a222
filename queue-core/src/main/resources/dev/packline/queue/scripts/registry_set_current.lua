-- registry_set_current.lua: make a version the queue's current one, if the registry still lists it
-- (an obliterate that raced the caller's state check has unlisted it).
-- KEYS[1] registry   hash  pl:{name}:registry
-- ARGV[1] version number
-- Returns 'ok', or the reason it was refused
if redis.call('HEXISTS', KEYS[1], 'v:' .. ARGV[1]) == 0 then
  return 'no such version'
end
redis.call('HSET', KEYS[1], 'current', ARGV[1])
return 'ok'

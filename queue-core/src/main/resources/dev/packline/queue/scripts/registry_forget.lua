-- registry_forget.lua: after obliterate, stop listing a version, and drop the current pointer only
-- if it still names that version (a switch another admin made meanwhile stays).
-- KEYS[1] registry   hash  pl:{name}:registry
-- ARGV[1] version number
-- Returns 1 when the version was current, else 0
redis.call('HDEL', KEYS[1], 'v:' .. ARGV[1])
if redis.call('HGET', KEYS[1], 'current') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'current')
  return 1
end
return 0

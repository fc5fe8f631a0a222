-- route_set.lua: add or replace one routing rule of a queue and bump the serial every producer
-- polls, so each picks the change up on its next look (upgrade.RouteTable).
-- KEYS[1] routes     hash  pl:{name}:routes (in the registry's slot)
-- KEYS[2] registry   hash  pl:{name}:registry
-- ARGV[1] rule id
-- ARGV[2] rule JSON
-- ARGV[3] target version number
-- Returns the new serial, or the reason it was refused
if redis.call('HEXISTS', KEYS[2], 'v:' .. ARGV[3]) == 0 then
  return 'no such version'
end
redis.call('HSET', KEYS[1], 'rule:' .. ARGV[1], ARGV[2])
return redis.call('HINCRBY', KEYS[1], 'serial', 1)

-- shadow_start.lua: start (or restart) a shadow run copying a share of one version's jobs to another;
-- a restart begins a fresh comparison (counters and examples of the pair are reset).
-- KEYS[1] shadows    hash  pl:{name}:shadows
-- KEYS[2] registry   hash  pl:{name}:registry
-- KEYS[3] results    hash  pl:{name}:shadow:FROM:TO
-- KEYS[4] examples   list  pl:{name}:shadow-examples:FROM:TO
-- ARGV[1] from version number
-- ARGV[2] to version number
-- ARGV[3] run JSON
-- ARGV[4] now (ms)
-- Returns 'ok', or the reason it was refused
if redis.call('HEXISTS', KEYS[2], 'v:' .. ARGV[1]) == 0 then
  return 'version ' .. ARGV[1] .. ' does not exist'
end
if redis.call('HEXISTS', KEYS[2], 'v:' .. ARGV[2]) == 0 then
  return 'version ' .. ARGV[2] .. ' does not exist'
end
redis.call('HSET', KEYS[1], 'from:' .. ARGV[1], ARGV[3])
redis.call('DEL', KEYS[3], KEYS[4])
redis.call('HSET', KEYS[3], 'startedAt', ARGV[4])
return 'ok'

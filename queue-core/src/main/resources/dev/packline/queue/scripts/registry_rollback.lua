-- registry_rollback.lua: make an earlier version current again in one step, but only if the
-- version the admin rolls back from is still the current one (two admins rolling back at once, or
-- a set-current in between, must not be undone silently) and the target is still listed.
-- KEYS[1] registry   hash  pl:{name}:registry
-- ARGV[1] target version number (becomes current)
-- ARGV[2] version number the caller read as current (rolled back from)
-- ARGV[3] now (ms)
-- Returns 'ok', or the reason it was refused
if redis.call('HEXISTS', KEYS[1], 'v:' .. ARGV[1]) == 0 then
  return 'no such version'
end
local current = redis.call('HGET', KEYS[1], 'current')
if current ~= ARGV[2] then
  return 'the current version changed meanwhile (now ' .. (current or 'none') .. ')'
end
redis.call('HSET', KEYS[1], 'current', ARGV[1], 'rolledBackFrom', ARGV[2], 'rolledBackAt', ARGV[3])
return 'ok'

-- heartbeat.lua: extend a worker's lease on one queue version. A worker of a retired or
-- obliterated version is not registered again, so obliterate leaves no key behind.
-- KEYS[1] info     hash
-- KEYS[2] workers  zset   worker id -> heartbeat expiry (ms)
-- ARGV[1] worker id
-- ARGV[2] heartbeat expiry (ms)
-- Returns the version state, or false when the version does not exist
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return false end
if state ~= 'retired' then redis.call('ZADD', KEYS[2], tonumber(ARGV[2]), ARGV[1]) end
return state

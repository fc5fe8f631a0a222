-- version_keep.lua: mark a version to be kept (or no longer kept) by the automatic clean-up of
-- drained versions (VersionCleaner); the mark goes with the version when it is obliterated.
-- KEYS[1] info       hash
-- ARGV[1] '1' = keep, '0' = let the clean-up remove it after its grace period
-- ARGV[2] now (ms)
-- Returns {'ok', state} or {'refused', reason}
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'refused', 'no such version'} end
if ARGV[1] == '1' then
  redis.call('HSET', KEYS[1], 'keep', ARGV[2])
else
  redis.call('HDEL', KEYS[1], 'keep')
end
return {'ok', state}

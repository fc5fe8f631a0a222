-- version_reactivate.lua: take a draining or retired version back to active, for a rollback to it.
-- Its jobs and dead letters are untouched; workers that serve every version pick it up again
-- (VersionWatch), and a retired one's kept mark for clean-up no longer matters since it is active.
-- KEYS[1] info       hash
-- ARGV[1] now (ms)
-- Returns {'ok', previous state} or {'refused', reason}
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'refused', 'no such version'} end
if state ~= 'active' then
  redis.call('HSET', KEYS[1], 'state', 'active', 'reactivatedAt', ARGV[1])
  redis.call('HDEL', KEYS[1], 'drainingSince', 'retiredAt')
end
return {'ok', state}

-- version_state.lua: change a queue version's lifecycle state or pause flag, enforcing the
-- transitions: (none) -create-> active -drain-> draining -retire-> retired. Retiring needs an empty
-- version unless forced. Pause and resume work on active and draining versions.
-- KEYS[1] info       hash
-- KEYS[2] pending    list
-- KEYS[3] delayed    zset
-- KEYS[4] retry      zset
-- KEYS[5] deadlines  zset
-- KEYS[6] urgent, KEYS[7] normal, KEYS[8] bulk, KEYS[9] parked: ready jobs with a priority or group
-- (fair_queue.lua); a retire must wait for them too, and not for wake markers (' ') in pending
-- KEYS[10] migrating list: jobs a drain or rollback is moving to another version (copied, not yet
-- forgotten); a retire waits for them, or a clean-up could retire the version half-way through a move
-- ARGV[1] action: create | drain | retire | pause | resume
-- ARGV[2] now (ms)
-- ARGV[3] '1' = force (retire while jobs remain)
-- Returns {'ok', state} or {'refused', reason}
local action = ARGV[1]
local state = redis.call('HGET', KEYS[1], 'state')
if action == 'create' then
  if state then return {'refused', 'version exists (' .. state .. ')'} end
  redis.call('HSET', KEYS[1], 'state', 'active', 'paused', '0', 'createdAt', ARGV[2])
  return {'ok', 'active'}
end
if not state then return {'refused', 'no such version'} end
if action == 'drain' then
  -- already drained (the workers' clean-up retires empty draining versions): nothing left to do
  if state == 'retired' then return {'ok', 'retired'} end
  redis.call('HSET', KEYS[1], 'state', 'draining', 'drainingSince', ARGV[2])
  return {'ok', 'draining'}
elseif action == 'retire' then
  if state == 'retired' then return {'ok', 'retired'} end
  if state ~= 'draining' and ARGV[3] ~= '1' then return {'refused', 'only a draining version can be retired; drain it first'} end
  local markers = #redis.call('LPOS', KEYS[2], ' ', 'RANK', -1, 'COUNT', 0, 'MAXLEN', 1000)
  local left = redis.call('LLEN', KEYS[2]) - markers + redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4])
    + redis.call('ZCARD', KEYS[5]) + redis.call('ZCARD', KEYS[6]) + redis.call('ZCARD', KEYS[7]) + redis.call('ZCARD', KEYS[8])
    + redis.call('ZCARD', KEYS[9]) + redis.call('LLEN', KEYS[10])
  if left > 0 and ARGV[3] ~= '1' then return {'refused', left .. ' jobs still pending, delayed, in retry, active or being moved'} end
  redis.call('HSET', KEYS[1], 'state', 'retired', 'retiredAt', ARGV[2])
  return {'ok', 'retired'}
elseif action == 'pause' or action == 'resume' then
  if state == 'retired' then return {'refused', 'version is retired'} end
  redis.call('HSET', KEYS[1], 'paused', action == 'pause' and '1' or '0')
  return {'ok', state}
end
return {'refused', 'unknown action ' .. action}

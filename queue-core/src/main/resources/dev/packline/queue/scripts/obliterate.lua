-- obliterate.lua: delete every key of one queue version. Refused unless the version is retired
-- and holds no active job, or forced.
-- KEYS[1] info, KEYS[2] pending, KEYS[3] delayed, KEYS[4] retry, KEYS[5] deadlines, KEYS[6] meta,
-- KEYS[7] payload, KEYS[8] done, KEYS[9] dead, KEYS[10] events, KEYS[11] stats, KEYS[12] workers,
-- KEYS[13..] the other keys of the version (Keys.fixed()), then the active list of every worker listed in KEYS[12]
-- ARGV[1] '1' = force
-- Returns {'ok', keysDeleted} or {'refused', reason}
local state = redis.call('HGET', KEYS[1], 'state')
if ARGV[1] ~= '1' then
  if state ~= 'retired' then return {'refused', 'version is ' .. (state or 'missing') .. ', not retired; drain it first or force'} end
  local active = redis.call('ZCARD', KEYS[5])
  if active > 0 then return {'refused', active .. ' jobs are active'} end
end
local deleted = 0
for i = 1, #KEYS do deleted = deleted + redis.call('DEL', KEYS[i]) end
return {'ok', deleted}

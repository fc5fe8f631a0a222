-- migrate_take.lua: take up to N jobs that have not started (pending, delayed, retry) out of a
-- draining version into its 'migrating' list, for an admin moving them to another version. The
-- jobs stay there, with their records, until migrate_done.lua, so a crash in between loses nothing:
-- the next migration finishes what is in the list first.
-- KEYS[1] info       hash
-- KEYS[2] pending    list
-- KEYS[3] delayed    zset
-- KEYS[4] retry      zset
-- KEYS[5] migrating  list
-- KEYS[6] urgent, KEYS[7] normal, KEYS[8] bulk   zsets of ready jobs (fair_queue.lua)
-- KEYS[9] parked     zset   jobs of capped groups (member GROUP \n LEVEL \n TAG \n ID)
-- KEYS[10] groups    hash   fair queueing state (parked counts)
-- ARGV[1] max jobs
-- Returns the ids taken, or {'refused', state} unless the version is draining
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'draining' then return {'refused', state or 'missing'} end
local max = tonumber(ARGV[1])
local taken = {}
while #taken < max do
  -- wake markers (a single space) are not jobs
  local id = redis.call('RPOP', KEYS[2])
  if not id then break end
  if id ~= ' ' then
    redis.call('LPUSH', KEYS[5], id)
    taken[#taken + 1] = id
  end
end
if #taken < max then
  local members = redis.call('ZRANGE', KEYS[9], 0, max - #taken - 1)
  for _, member in ipairs(members) do
    local group, id = string.match(member, '^(.-)\n%a+\n%d+\n(.*)$')
    redis.call('LPUSH', KEYS[5], id)
    taken[#taken + 1] = id
    if redis.call('HINCRBY', KEYS[10], 'parked:' .. group, -1) <= 0 then redis.call('HDEL', KEYS[10], 'parked:' .. group) end
  end
  if #members > 0 then redis.call('ZREM', KEYS[9], unpack(members)) end
end
for _, zset in ipairs({KEYS[6], KEYS[7], KEYS[8], KEYS[3], KEYS[4]}) do
  while #taken < max do
    local head = redis.call('ZPOPMIN', zset)
    if not head[1] then break end
    redis.call('LPUSH', KEYS[5], head[1])
    taken[#taken + 1] = head[1]
  end
end
return taken

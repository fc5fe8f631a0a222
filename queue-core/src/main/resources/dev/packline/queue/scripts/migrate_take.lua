-- migrate_take.lua: take up to N jobs that have not started (pending, delayed, retry) out of a
-- draining version into its 'migrating' list, for an admin moving them to another version. The
-- jobs stay there, with their records, until migrate_done.lua, so a crash in between loses nothing:
-- the next migration finishes what is in the list first.
-- KEYS[1] info       hash
-- KEYS[2] pending    list
-- KEYS[3] delayed    zset
-- KEYS[4] retry      zset
-- KEYS[5] migrating  list
-- ARGV[1] max jobs
-- Returns the ids taken, or {'refused', state} unless the version is draining
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'draining' then return {'refused', state or 'missing'} end
local max = tonumber(ARGV[1])
local taken = {}
while #taken < max do
  local id = redis.call('RPOPLPUSH', KEYS[2], KEYS[5])
  if not id then break end
  taken[#taken + 1] = id
end
for _, zset in ipairs({KEYS[3], KEYS[4]}) do
  while #taken < max do
    local head = redis.call('ZPOPMIN', zset)
    if not head[1] then break end
    redis.call('LPUSH', KEYS[5], head[1])
    taken[#taken + 1] = head[1]
  end
end
return taken

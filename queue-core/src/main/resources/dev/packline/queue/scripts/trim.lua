-- trim.lua: drop done records and dead letters older than their retention age (the count bounds
-- are kept by complete.lua and dead_letter.lua as they add). At most 1000 of each per call. Also
-- forgets fair tags nothing needs any more, about 1000 fields of the groups hash per call, and keeps
-- the running counts of capped groups true (fair_queue.lua; at most one count every 30 s per version).
-- KEYS[1] meta     hash
-- KEYS[2] payload  hash
-- KEYS[3] done     zset
-- KEYS[4] dead     zset
-- KEYS[5] groups   hash   fair queueing state (fair_queue.lua): a group's last tag at a level,
--                         f:LEVEL:GROUP, is forgotten here once the level's virtual time has reached it
-- KEYS[6] settings hash   group weights and caps
-- KEYS[7] deadlines zset  every active job of the version
-- KEYS[8] pending, KEYS[9] urgent, KEYS[10] normal, KEYS[11] bulk, KEYS[12] parked: where ready jobs
--                         wait (fair_queue.lua); a corrected count may let parked jobs go back
-- ARGV[1] now (ms)
-- ARGV[2] max age of done records (ms)
-- ARGV[3] max age of dead letters (ms)
-- Returns {doneRemoved, deadRemoved, then for each corrected count: group, count found, count counted}
--!include fair_queue.lua
local now = tonumber(ARGV[1])
local done = redis.call('ZRANGE', KEYS[3], '-inf', now - tonumber(ARGV[2]), 'BYSCORE', 'LIMIT', 0, 1000)
if #done > 0 then
  redis.call('HDEL', KEYS[1], unpack(done))
  redis.call('ZREM', KEYS[3], unpack(done))
end
local dead = redis.call('ZRANGE', KEYS[4], '-inf', now - tonumber(ARGV[3]), 'BYSCORE', 'LIMIT', 0, 1000)
if #dead > 0 then
  redis.call('HDEL', KEYS[1], unpack(dead))
  redis.call('HDEL', KEYS[2], unpack(dead))
  redis.call('ZREM', KEYS[4], unpack(dead))
end

-- A last tag at or below its level's virtual time no longer changes the next job's tag (that is
-- max(virtual time, last tag) + 1,000,000 / weight), so it is only memory. fetch.lua used to drop it
-- as it served a group's last waiting job, which cost a read per job (callgrind: about 12,600
-- instructions of a grouped job's 191,000); here it goes in passes over the hash (HSCAN, its cursor
-- kept in the field trim-cursor), whichever build served the jobs.
-- The same passes forget running counts of uncapped groups, which older builds' workers keep.
local fair = fair_open({pending = KEYS[8], urgent = KEYS[9], normal = KEYS[10], bulk = KEYS[11], groups = KEYS[5],
  settings = KEYS[6], parked = KEYS[12]})
local caps = read_caps(KEYS[6]) -- all of them, however many settings there are
local any_cap = next(caps) ~= nil
local scan = redis.call('HSCAN', KEYS[5], redis.call('HGET', KEYS[5], 'trim-cursor') or '0', 'COUNT', 1000)
local virtual_time, stale, n_stale = {}, {}, 0
for i = 1, #scan[2], 2 do
  local field = scan[2][i]
  local level = string.match(field, '^f:(%a+):')
  local run_of = not level and string.match(field, '^run:(.*)$')
  if run_of and not caps[run_of] then
    n_stale = n_stale + 1
    stale[n_stale] = field
  elseif level then
    local vt = virtual_time[level]
    if not vt then
      vt = tonumber(redis.call('HGET', KEYS[5], 'vt:' .. level)) or 0
      virtual_time[level] = vt
    end
    if (tonumber(scan[2][i + 1]) or 0) <= vt then
      n_stale = n_stale + 1
      stale[n_stale] = field
    end
  end
end
if n_stale > 0 then redis.call('HDEL', KEYS[5], unpack(stale)) end
if scan[1] == '0' then
  redis.call('HDEL', KEYS[5], 'trim-cursor')
else
  redis.call('HSET', KEYS[5], 'trim-cursor', scan[1])
end

-- Every capped group's running jobs counted again (a read of every active record: only while some
-- group has a cap, and at most once per RECOUNT_EVERY_MS per version whatever the number of workers,
-- each of which runs a janitor; the time of the last count is the field counted-at). A count that
-- differs is corrected, and parked jobs it kept out go back: the count of a cap set by an older build's
-- admin (which counts nothing), or one changed by a path that got it wrong, holds until the next count.
local RECOUNT_EVERY_MS = 30000
local out = {#done, #dead}
local counted_at = tonumber(redis.call('HGET', KEYS[5], 'counted-at'))
if any_cap and (not counted_at or now - counted_at >= RECOUNT_EVERY_MS or now < counted_at) then
  redis.call('HSET', KEYS[5], 'counted-at', string.format('%d', now))
  local counted = count_running(KEYS[7], KEYS[1], caps)
  local names = {}
  for group in pairs(caps) do names[#names + 1] = fair:run_name(group) end
  fair:prefetch(names)
  for group, cap in pairs(caps) do
    local found = fair:get(fair:run_name(group)) or 0
    local running = counted[group] or 0
    if found ~= running then
      fair:set(fair:run_name(group), running)
      out[#out + 1] = group
      out[#out + 1] = found
      out[#out + 1] = running
    end
    if running < cap and fair:get(fair:names(group).parked) then fair:unpark(group, math.min(cap - running, 1000)) end
  end
  fair:flush()
elseif not any_cap and counted_at then
  redis.call('HDEL', KEYS[5], 'counted-at')
end
return out

-- trim.lua: drop done records and dead letters older than their retention age (the count bounds
-- are kept by complete.lua and dead_letter.lua as they add). At most 1000 of each per call. Also
-- forgets fair tags nothing needs any more, about 1000 fields of the groups hash per call.
-- KEYS[1] meta     hash
-- KEYS[2] payload  hash
-- KEYS[3] done     zset
-- KEYS[4] dead     zset
-- KEYS[5] groups   hash   fair queueing state (fair_queue.lua): a group's last tag at a level,
--                         f:LEVEL:GROUP, is forgotten here once the level's virtual time has reached it
-- ARGV[1] now (ms)
-- ARGV[2] max age of done records (ms)
-- ARGV[3] max age of dead letters (ms)
-- Returns {doneRemoved, deadRemoved}
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
local scan = redis.call('HSCAN', KEYS[5], redis.call('HGET', KEYS[5], 'trim-cursor') or '0', 'MATCH', 'f:*', 'COUNT', 1000)
local virtual_time, stale, n_stale = {}, {}, 0
for i = 1, #scan[2], 2 do
  local field = scan[2][i]
  local level = string.match(field, '^f:(%a+):')
  if level then
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
return {#done, #dead}

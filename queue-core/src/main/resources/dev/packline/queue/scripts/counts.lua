-- counts.lua: a consistent snapshot of one version's job counts, state and counters (read only).
-- KEYS[1] info, KEYS[2] pending, KEYS[3] delayed, KEYS[4] retry, KEYS[5] deadlines, KEYS[6] dead,
-- KEYS[7] done, KEYS[8] stats, KEYS[9] workers, KEYS[10] meta, KEYS[11] urgent, KEYS[12] normal, KEYS[13] bulk,
-- KEYS[14] parked
-- Pending counts every ready job: the pending list without its wake markers (fair_queue.lua; pushed
-- only onto an empty list, so they sit among its last 1000 entries), the three level zsets and the
-- parked jobs. The oldest pending job is looked for among the head of each.
-- ARGV[1] now (ms)
-- Returns {state, paused, pending, delayed, retry, active, dead, done, liveWorkers, oldestPendingSince (ms, -1 if none),
--          then stats field/value pairs}
local state = redis.call('HGET', KEYS[1], 'state') or ''
local paused = redis.call('HGET', KEYS[1], 'paused') or '0'
local oldest = -1
local markers = #redis.call('LPOS', KEYS[2], ' ', 'RANK', -1, 'COUNT', 0, 'MAXLEN', 1000)
local heads = {redis.call('LINDEX', KEYS[2], -1 - markers)}
for _, zset in ipairs({KEYS[11], KEYS[12], KEYS[13]}) do
  heads[#heads + 1] = redis.call('ZRANGE', zset, 0, 0)[1]
end
for _, head in pairs(heads) do
  local raw = head and redis.call('HGET', KEYS[10], head)
  if raw then
    local since = cjson.decode(raw).availableAt
    if oldest < 0 or since < oldest then oldest = since end
  end
end
local pending = redis.call('LLEN', KEYS[2]) - markers + redis.call('ZCARD', KEYS[11]) + redis.call('ZCARD', KEYS[12])
  + redis.call('ZCARD', KEYS[13]) + redis.call('ZCARD', KEYS[14])
local out = {state, paused, pending, redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[4]),
  redis.call('ZCARD', KEYS[5]), redis.call('ZCARD', KEYS[6]), redis.call('ZCARD', KEYS[7]),
  redis.call('ZCOUNT', KEYS[9], ARGV[1], '+inf'), oldest}
local stats = redis.call('HGETALL', KEYS[8])
for i = 1, #stats do out[#out + 1] = stats[i] end
return out

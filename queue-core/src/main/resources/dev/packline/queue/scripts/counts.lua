-- counts.lua: a consistent snapshot of one version's job counts, state and counters (read only).
-- KEYS[1] info, KEYS[2] pending, KEYS[3] delayed, KEYS[4] retry, KEYS[5] deadlines, KEYS[6] dead,
-- KEYS[7] done, KEYS[8] stats, KEYS[9] workers, KEYS[10] meta
-- ARGV[1] now (ms)
-- Returns {state, paused, pending, delayed, retry, active, dead, done, liveWorkers, oldestPendingSince (ms, -1 if none),
--          then stats field/value pairs}
local state = redis.call('HGET', KEYS[1], 'state') or ''
local paused = redis.call('HGET', KEYS[1], 'paused') or '0'
local oldest = -1
local head = redis.call('LINDEX', KEYS[2], -1)
if head then
  local raw = redis.call('HGET', KEYS[10], head)
  if raw then oldest = cjson.decode(raw).availableAt end
end
local out = {state, paused, redis.call('LLEN', KEYS[2]), redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[4]),
  redis.call('ZCARD', KEYS[5]), redis.call('ZCARD', KEYS[6]), redis.call('ZCARD', KEYS[7]),
  redis.call('ZCOUNT', KEYS[9], ARGV[1], '+inf'), oldest}
local stats = redis.call('HGETALL', KEYS[8])
for i = 1, #stats do out[#out + 1] = stats[i] end
return out

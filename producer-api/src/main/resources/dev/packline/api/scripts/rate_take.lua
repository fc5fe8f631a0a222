-- rate_take.lua: take one submit from a publisher's allowance (GCRA: a sustained rate plus a burst),
-- shared by every API instance. The key holds the theoretical arrival time of the next submit.
-- KEYS[1] rate      string  pl:api:{pub:NAME}:rate
-- ARGV[1] now (ms)
-- ARGV[2] emission interval (ms): 60000 / submits per minute
-- ARGV[3] burst: submits allowed at once
-- Returns 0 when allowed, else the milliseconds until the next submit would be
local now, interval, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local next_tat = tat + interval
local allow_at = next_tat - burst * interval
if now < allow_at then return allow_at - now end
redis.call('SET', KEYS[1], next_tat, 'PX', math.max(1, math.ceil(next_tat - now)))
return 0

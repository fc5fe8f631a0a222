-- enqueue.lua: add a batch of jobs to one queue version, skipping ids that already exist.
-- KEYS[1] info      hash   version state (active | draining | retired), paused
-- KEYS[2] pending   list   ready job ids; LPUSH here, workers take from the right
-- KEYS[3] delayed   zset   job id -> due time (ms)
-- KEYS[4] meta      hash   job id -> JSON job record
-- KEYS[5] payload   hash   job id -> payload
-- KEYS[6] stats     hash   counters
-- ARGV[1] now (ms)
-- ARGV[2] job count n, then n groups of 5: id, payload, maxAttempts, timeoutMs, delayMs
-- Returns {"ok", r1, ..., rn} with ri = 1 (added) or 0 (an existing job has that id),
-- or {"refused", state} when the version does not accept jobs.
--!include job_record.lua
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'refused', 'missing'} end
if state ~= 'active' then return {'refused', state} end
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local results = {'ok'}
local added = 0
for i = 0, n - 1 do
  local base = 3 + i * 5
  local id = ARGV[base]
  if redis.call('HEXISTS', KEYS[4], id) == 1 then
    results[#results + 1] = 0
  else
    local delay = tonumber(ARGV[base + 4])
    local job_state = 'pending'
    if delay > 0 then
      job_state = 'delayed'
      redis.call('ZADD', KEYS[3], now + delay, id)
    else
      redis.call('LPUSH', KEYS[2], id)
    end
    -- the record encode_job would write for a new job, formatted directly
    redis.call('HSET', KEYS[4], id, job_text(job_state, '""', '0', '0', '0', '0', ARGV[base + 2], ARGV[base + 3],
      int(now + delay), ',"createdAt":' .. ARGV[1] .. '}'))
    redis.call('HSET', KEYS[5], id, ARGV[base + 1])
    added = added + 1
    results[#results + 1] = 1
  end
end
if added > 0 then redis.call('HINCRBY', KEYS[6], 'enqueued', added) end
return results

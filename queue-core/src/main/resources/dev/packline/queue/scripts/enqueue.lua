-- enqueue.lua: add a batch of jobs to one queue version, skipping ids that already exist.
-- KEYS[1] info      hash   version state (active | draining | retired), paused
-- KEYS[2] pending   list   ready jobs of the default group at normal priority; LPUSH here, workers take from the right
-- KEYS[3] delayed   zset   job id -> due time (ms)
-- KEYS[4] meta      hash   job id -> JSON job record
-- KEYS[5] payload   hash   job id -> payload
-- KEYS[6] stats     hash   counters
-- KEYS[7] urgent    zset   ready jobs by fair tag (fair_queue.lua), one zset per level
-- KEYS[8] normal    zset
-- KEYS[9] bulk      zset
-- KEYS[10] groups   hash   fair queueing state
-- KEYS[11] settings hash   group weights and caps
-- KEYS[12] parked   zset   jobs of groups at their cap
-- ARGV[1] now (ms)
-- ARGV[2] job count n, then n groups of 7: id, payload, maxAttempts, timeoutMs, delayMs, level, group
--         (level '' for the default group at normal priority: the record keeps today's format)
-- Returns {"ok", r1, ..., rn} with ri = 1 (added) or 0 (an existing job has that id),
-- or {"refused", state} when the version does not accept jobs.
--!include job_record.lua
--!include fair_queue.lua
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'refused', 'missing'} end
if state ~= 'active' then return {'refused', state} end
local fair = fair_open({pending = KEYS[2], urgent = KEYS[7], normal = KEYS[8], bulk = KEYS[9], groups = KEYS[10],
  settings = KEYS[11], parked = KEYS[12]})
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local results = {'ok'}
local added = 0
for i = 0, n - 1 do
  local base = 3 + i * 7
  local id = ARGV[base]
  if redis.call('HEXISTS', KEYS[4], id) == 1 then
    results[#results + 1] = 0
  else
    local delay = tonumber(ARGV[base + 4])
    local level = ARGV[base + 5]
    local place = ''
    if level == '' then
      level = nil
    else
      place = ',"level":"' .. level .. '","group":"' .. ARGV[base + 6] .. '"'
    end
    local job_state = 'pending'
    if delay > 0 then
      job_state = 'delayed'
      redis.call('ZADD', KEYS[3], now + delay, id)
    else
      fair:queue(id, level, ARGV[base + 6])
    end
    -- the record encode_job would write for a new job, formatted directly
    redis.call('HSET', KEYS[4], id, job_text(job_state, '""', '0', '0', '0', '0', ARGV[base + 2], ARGV[base + 3],
      int(now + delay), place .. ',"createdAt":' .. ARGV[1] .. '}'))
    redis.call('HSET', KEYS[5], id, ARGV[base + 1])
    added = added + 1
    results[#results + 1] = 1
  end
end
fair:flush()
if added > 0 then redis.call('HINCRBY', KEYS[6], 'enqueued', added) end
return results

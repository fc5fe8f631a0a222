-- make_ready.lua: an admin makes jobs ready now. Mode 'run-now': a delayed or retrying job skips
-- the rest of its wait (attempts kept). Mode 'requeue': a dead letter gets a fresh start (attempts
-- reset), as requeue_dead.lua does. Either way the job goes behind what its group has waiting.
-- KEYS[1] info      hash
-- KEYS[2] meta      hash
-- KEYS[3] delayed   zset
-- KEYS[4] retry     zset
-- KEYS[5] dead      zset
-- KEYS[6] stats     hash
-- KEYS[7] pending, KEYS[8] urgent, KEYS[9] normal, KEYS[10] bulk, KEYS[11] groups, KEYS[12] settings,
-- KEYS[13] parked: where ready jobs wait (fair_queue.lua)
-- ARGV[1] now (ms)
-- ARGV[2] mode: run-now | requeue
-- ARGV[3..] job ids
-- Returns {'refused', state} when the version serves no jobs (retired or missing), else {'ok', then one
-- answer per id: 'ready' (made pending), 'missing', or the job's state when the mode does not apply to it}
--!include job_record.lua
--!include fair_queue.lua
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'active' and state ~= 'draining' then return {'refused', state or 'missing'} end
local fair = fair_open({pending = KEYS[7], urgent = KEYS[8], normal = KEYS[9], bulk = KEYS[10], groups = KEYS[11],
  settings = KEYS[12], parked = KEYS[13]})
local now = tonumber(ARGV[1])
local requeue = ARGV[2] == 'requeue'
local answers = {'ok'}
local requeued = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local raw = redis.call('HGET', KEYS[2], id)
  local answer
  if not raw then
    answer = 'missing'
  else
    local job = cjson.decode(raw)
    local from = nil
    if requeue and job.state == 'dead' then from = KEYS[5]
    elseif not requeue and job.state == 'delayed' then from = KEYS[3]
    elseif not requeue and job.state == 'retry' then from = KEYS[4] end
    if from and redis.call('ZREM', from, id) == 1 then
      job.state = 'pending'
      job.availableAt = now
      if requeue then
        job.attempts = 0
        job.requeuedAt = now
        requeued = requeued + 1
      end
      redis.call('HSET', KEYS[2], id, encode_job(job))
      fair:queue(id, job.level, job.group)
      answer = 'ready'
    else
      answer = job.state
    end
  end
  answers[#answers + 1] = answer
end
fair:flush()
if requeued > 0 then redis.call('HINCRBY', KEYS[6], 'requeued', requeued) end
return answers

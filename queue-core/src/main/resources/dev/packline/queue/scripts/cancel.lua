-- cancel.lua: an admin cancels jobs. A waiting job (pending, delayed, retry) is taken out of where
-- it waits and ended as cancelled at once. A running job gets a cancel mark that the worker holding
-- it reads at its next heartbeat (cancel_check.lua); it then stops the job, and the end of that
-- delivery (fail.lua, recover_worker.lua, recover_overdue.lua) records it as cancelled, never as a
-- retry. So does a pending job that BLMOVE moved into a worker's active list just now.
-- KEYS[1] meta      hash
-- KEYS[2] payload   hash
-- KEYS[3] delayed   zset
-- KEYS[4] retry     zset
-- KEYS[5] done      zset   finished records (done and cancelled) -> finish time
-- KEYS[6] stats     hash
-- KEYS[7] cancels   hash   job id -> cancel requested at (ms), for running jobs
-- KEYS[8] pending, KEYS[9] urgent, KEYS[10] normal, KEYS[11] bulk, KEYS[12] groups, KEYS[13] settings,
-- KEYS[14] parked: where ready jobs wait (fair_queue.lua)
-- KEYS[15] events    stream a 'cancelled' event per job ended here (job_cancel.lua)
-- ARGV[1] now (ms)
-- ARGV[2] max events kept (approximate)
-- ARGV[3] queue label, e.g. package:3
-- ARGV[4..] job ids (plain pending jobs among them are taken out of the pending list in one pass)
-- Returns one answer per id: 'ended' (cancelled now), 'marked' (running: its worker stops it), 'missing',
-- or the job's state when cancelling does not apply (dead, done, cancelled)
--!include job_record.lua
--!include fair_queue.lua
--!include job_cancel.lua
local fair = fair_open({pending = KEYS[8], urgent = KEYS[9], normal = KEYS[10], bulk = KEYS[11], groups = KEYS[12],
  settings = KEYS[13], parked = KEYS[14]})
local now = tonumber(ARGV[1])
local ids = {}
for i = 4, #ARGV do ids[#ids + 1] = ARGV[i] end
local taken = take_plain_batch(KEYS[1], KEYS[8], ids)
local answers = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local raw = redis.call('HGET', KEYS[1], id)
  local answer
  if not raw then
    answer = 'missing'
  else
    local job = cjson.decode(raw)
    if job.state == 'active' then
      redis.call('HSETNX', KEYS[7], id, now)
      answer = 'marked'
    elseif job.state == 'pending' or job.state == 'delayed' or job.state == 'retry' then
      if take_waiting(fair, {delayed = KEYS[3], retry = KEYS[4]}, id, job, taken) then
        end_cancelled({meta = KEYS[1], payload = KEYS[2], done = KEYS[5], stats = KEYS[6], cancels = KEYS[7], events = KEYS[15]},
          id, job, now, ARGV[2], ARGV[3])
        answer = 'ended'
      else
        -- on its way to a worker (moved by BLMOVE, not yet activated): the worker stops it
        redis.call('HSETNX', KEYS[7], id, now)
        answer = 'marked'
      end
    else
      answer = job.state
    end
  end
  answers[#answers + 1] = answer
end
fair:flush()
return answers

-- recover_overdue.lua: take back jobs that ran past their hard deadline plus a grace period while
-- their worker still heartbeats (a hung handler, a stuck worker). The worker normally interrupts
-- and fails such a job itself; this is the safety net that keeps a live lease from holding a job
-- forever. The late worker's ack is then refused by the fencing token.
-- KEYS[1] active     list   the holding worker's active list
-- KEYS[2] pending    list
-- KEYS[3] deadlines  zset
-- KEYS[4] meta       hash
-- KEYS[5] payload    hash
-- KEYS[6] dead       zset
-- KEYS[7] events     stream
-- KEYS[8] stats      hash
-- KEYS[9] urgent, KEYS[10] normal, KEYS[11] bulk, KEYS[12] groups, KEYS[13] settings, KEYS[14] parked: where
-- ready jobs wait (fair_queue.lua, with pending above); a job taken back frees its group's slot
-- KEYS[15] progress  hash   job id -> progress of the running delivery (deleted here)
-- KEYS[16] done      zset   jobs an admin asked to cancel end there as cancelled (job_cancel.lua)
-- KEYS[17] cancels   hash   cancel marks of running jobs
-- ARGV[1] now (ms)
-- ARGV[2] worker id holding the jobs
-- ARGV[3] grace (ms) past the deadline
-- ARGV[4] max dead letters kept
-- ARGV[5] max events kept (approximate)
-- ARGV[6] queue label
-- ARGV[7..] job ids the caller saw overdue for this worker
-- Returns {returned, deadLettered}
--!include job_record.lua
--!include fair_queue.lua
--!include dead_letter.lua
--!include job_cancel.lua
local fair = fair_open({pending = KEYS[2], urgent = KEYS[9], normal = KEYS[10], bulk = KEYS[11],
  groups = KEYS[12], settings = KEYS[13], parked = KEYS[14]})
local now = tonumber(ARGV[1])
local worker = ARGV[2]
local grace = tonumber(ARGV[3])
local returned, dead = 0, 0
for i = 7, #ARGV do
  local id = ARGV[i]
  local deadline = tonumber(redis.call('ZSCORE', KEYS[3], id))
  local raw = redis.call('HGET', KEYS[4], id)
  if deadline and deadline + grace < now and raw then
    local job = cjson.decode(raw)
    if job.state == 'active' and job.worker == worker then
      redis.call('LREM', KEYS[1], -1, id)
      redis.call('ZREM', KEYS[3], id)
      fair:release(job.group)
      redis.call('HDEL', KEYS[15], id)
      record_error(job, now, worker, 'hard timeout of ' .. job.timeoutMs .. ' ms exceeded; the job was taken back from worker ' .. worker)
      if cancel_requested(KEYS[17], id) then
        end_cancelled({meta = KEYS[4], payload = KEYS[5], done = KEYS[16], stats = KEYS[8], cancels = KEYS[17], events = KEYS[7]},
          id, job, now, ARGV[5], ARGV[6])
      elseif return_or_bury({meta = KEYS[4], payload = KEYS[5], fair = fair, dead = KEYS[6], events = KEYS[7], stats = KEYS[8]},
          id, job, now, 'timed out', tonumber(ARGV[4]), ARGV[5], ARGV[6]) then
        returned = returned + 1
      else
        dead = dead + 1
      end
    end
  end
end
fair:flush()
if returned > 0 then redis.call('HINCRBY', KEYS[8], 'recovered', returned) end
return {returned, dead}

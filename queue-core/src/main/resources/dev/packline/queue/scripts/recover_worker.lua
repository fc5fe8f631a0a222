-- recover_worker.lua: return every job held in one worker's active list to the front of pending.
-- Mode 'expired': the worker's heartbeat expired (it died or hung); each job it had started keeps
-- the attempt it used (dead-lettered if that was the last one). Mode 'shutdown': the worker is
-- stopping on purpose and gives back jobs it could not finish; their attempt is refunded.
-- Jobs in the list that were never started (moved by BLMOVE just before a crash, no lease yet)
-- go back untouched. Nothing else owns these jobs while this runs: it is atomic.
-- KEYS[1] workers    zset   worker id -> heartbeat expiry (ms)
-- KEYS[2] active     list   the worker's active list
-- KEYS[3] pending    list
-- KEYS[4] deadlines  zset
-- KEYS[5] meta       hash
-- KEYS[6] payload    hash
-- KEYS[7] dead       zset
-- KEYS[8] events     stream
-- KEYS[9] stats      hash
-- KEYS[10] urgent, KEYS[11] normal, KEYS[12] bulk, KEYS[13] groups,
-- KEYS[14] settings, KEYS[15] parked: where ready jobs wait (fair_queue.lua); a running job of a
-- group that ends frees the group's slot for one of its parked jobs
-- KEYS[16] progress  hash   job id -> progress of the running delivery (deleted here)
-- KEYS[17] done      zset   jobs an admin asked to cancel end there as cancelled (job_cancel.lua)
-- KEYS[18] cancels   hash   cancel marks of running jobs
-- ARGV[1] now (ms)
-- ARGV[2] worker id
-- ARGV[3] mode: expired | shutdown
-- ARGV[4] error text recorded on jobs taken from an expired worker
-- ARGV[5] max dead letters kept
-- ARGV[6] max events kept (approximate)
-- ARGV[7] queue label, e.g. package:3
-- ARGV[8] how long (ms) an expired worker's entry stays listed before it is forgotten
-- Returns {returned, deadLettered}, or {-1, 0} when the worker is alive after all
--!include job_record.lua
--!include fair_queue.lua
--!include dead_letter.lua
--!include job_cancel.lua
local fair = fair_open({pending = KEYS[3], urgent = KEYS[10], normal = KEYS[11], bulk = KEYS[12],
  groups = KEYS[13], settings = KEYS[14], parked = KEYS[15]})
local now = tonumber(ARGV[1])
local worker = ARGV[2]
local mode = ARGV[3]
local expiry = tonumber(redis.call('ZSCORE', KEYS[1], worker))
if mode == 'expired' and expiry and expiry >= now then return {-1, 0} end

local cancelled_keys = {meta = KEYS[5], payload = KEYS[6], done = KEYS[17], stats = KEYS[9], cancels = KEYS[18], events = KEYS[8]}
local returned, dead = 0, 0
local ids = redis.call('LRANGE', KEYS[2], 0, -1)
for _, id in ipairs(ids) do
  local raw = redis.call('HGET', KEYS[5], id)
  if raw then
    local job = cjson.decode(raw)
    if job.state == 'active' and job.worker == worker then
      redis.call('ZREM', KEYS[4], id)
      fair:release(job.group)
      redis.call('HDEL', KEYS[16], id)
      if cancel_requested(KEYS[18], id) then
        end_cancelled(cancelled_keys, id, job, now, ARGV[6], ARGV[7])
      elseif mode == 'shutdown' then
        job.attempts = job.attempts - 1 -- not the job's fault: the attempt is refunded, so it cannot be the last
      else
        record_error(job, now, worker, ARGV[4])
      end
      if job.state == 'cancelled' then
        -- ended above: an admin asked to cancel it
      elseif return_or_bury({meta = KEYS[5], payload = KEYS[6], fair = fair, dead = KEYS[7], events = KEYS[8], stats = KEYS[9]},
          id, job, now, 'worker lost', tonumber(ARGV[5]), ARGV[6], ARGV[7]) then
        returned = returned + 1
      else
        dead = dead + 1
      end
    elseif job.state == 'pending' and cancel_requested(KEYS[18], id) then
      end_cancelled(cancelled_keys, id, job, now, ARGV[6], ARGV[7])
    elseif job.state == 'pending' then
      redis.call('RPUSH', KEYS[3], id)
      returned = returned + 1
    end
  end
end
redis.call('DEL', KEYS[2])
fair:flush()
if returned > 0 then redis.call('HINCRBY', KEYS[9], 'recovered', returned) end
if mode == 'shutdown' or not expiry or now - expiry > tonumber(ARGV[8]) then
  redis.call('ZREM', KEYS[1], worker)
end
return {returned, dead}

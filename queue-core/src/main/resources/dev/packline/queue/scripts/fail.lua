-- fail.lua: a delivery failed. Schedules a retry, or dead-letters the job when it may not retry
-- (attempts used up, or the handler said the input is bad). Fenced like complete.lua.
-- KEYS[1] active     list   this worker's active list
-- KEYS[2] deadlines  zset
-- KEYS[3] meta       hash
-- KEYS[4] payload    hash
-- KEYS[5] retry      zset   job id -> due time (ms)
-- KEYS[6] dead       zset   job id -> dead time (ms)
-- KEYS[7] events     stream dead-letter and cancel events
-- KEYS[8] stats      hash
-- KEYS[9] pending, KEYS[10] urgent, KEYS[11] normal, KEYS[12] bulk, KEYS[13] groups,
-- KEYS[14] settings, KEYS[15] parked: where ready jobs wait (fair_queue.lua); a running job of a
-- group that ends frees the group's slot for one of its parked jobs
-- KEYS[16] progress  hash   job id -> progress of the running delivery (deleted here)
-- KEYS[17] done      zset   a job an admin asked to cancel ends there as cancelled (job_cancel.lua)
-- KEYS[18] cancels   hash   cancel marks of running jobs
-- ARGV[1] now (ms)
-- ARGV[2] worker id
-- ARGV[3] job id
-- ARGV[4] token
-- ARGV[5] error text
-- ARGV[6] retry due time (ms)
-- ARGV[7] '1' = do not retry (bad input)
-- ARGV[8] max dead letters kept
-- ARGV[9] max events kept (approximate)
-- ARGV[10] queue label for the event, e.g. package:3
-- Returns 'retry', 'dead', 'cancelled' (an admin asked to cancel it: never retried) or 'lost'
--!include job_record.lua
--!include fair_queue.lua
--!include dead_letter.lua
--!include job_cancel.lua
local fair = fair_open({pending = KEYS[9], urgent = KEYS[10], normal = KEYS[11], bulk = KEYS[12],
  groups = KEYS[13], settings = KEYS[14], parked = KEYS[15]})
local now = tonumber(ARGV[1])
local id = ARGV[3]
local raw = redis.call('HGET', KEYS[3], id)
if not raw then return 'lost' end
local job = cjson.decode(raw)
if job.state ~= 'active' or job.worker ~= ARGV[2] or tostring(job.deliveries) ~= ARGV[4] then return 'lost' end
redis.call('LREM', KEYS[1], -1, id)
redis.call('ZREM', KEYS[2], id)
record_error(job, now, ARGV[2], ARGV[5])
fair:release(job.group)
redis.call('HDEL', KEYS[16], id)
fair:flush()
if cancel_requested(KEYS[18], id) then
  end_cancelled({meta = KEYS[3], payload = KEYS[4], done = KEYS[17], stats = KEYS[8], cancels = KEYS[18], events = KEYS[7]},
    id, job, now, ARGV[9], ARGV[10])
  return 'cancelled'
end
if ARGV[7] == '1' or job.attempts >= job.maxAttempts then
  dead_letter({meta = KEYS[3], payload = KEYS[4], dead = KEYS[6], events = KEYS[7], stats = KEYS[8]},
    id, job, now, ARGV[7] == '1' and 'rejected' or 'attempts exhausted', tonumber(ARGV[8]), ARGV[9], ARGV[10])
  return 'dead'
end
job.state = 'retry'
job.availableAt = tonumber(ARGV[6])
redis.call('HSET', KEYS[3], id, encode_job(job))
redis.call('ZADD', KEYS[5], tonumber(ARGV[6]), id)
redis.call('HINCRBY', KEYS[8], 'failed', 1)
return 'retry'

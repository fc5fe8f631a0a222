-- progress.lua: store a running job's progress, fenced like complete.lua: only the worker holding the
-- job's current delivery may write it. complete, fail and the recover scripts delete it with the delivery.
-- KEYS[1] meta      hash
-- KEYS[2] progress  hash   job id -> JSON {fraction, message, at}
-- ARGV[1] worker id
-- ARGV[2] job id
-- ARGV[3] token
-- ARGV[4] progress JSON
-- Returns 1 (stored) or 0 (lease lost: not this worker's current delivery)
local raw = redis.call('HGET', KEYS[1], ARGV[2])
if not raw then return 0 end
local job = cjson.decode(raw)
if job.state ~= 'active' or job.worker ~= ARGV[1] or tostring(job.deliveries) ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
return 1

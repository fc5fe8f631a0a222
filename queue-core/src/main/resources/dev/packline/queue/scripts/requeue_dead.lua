-- requeue_dead.lua: give dead letters a fresh start at the back of pending (attempts reset).
-- KEYS[1] info     hash
-- KEYS[2] dead     zset
-- KEYS[3] meta     hash
-- KEYS[4] pending  list
-- KEYS[5] stats    hash
-- ARGV[1] now (ms)
-- ARGV[2..] job ids
-- Returns the number requeued, or {'refused', state} for a retired version
--!include job_record.lua
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'active' and state ~= 'draining' then return {'refused', state or 'missing'} end
local now = tonumber(ARGV[1])
local count = 0
for i = 2, #ARGV do
  local id = ARGV[i]
  local raw = redis.call('HGET', KEYS[3], id)
  if raw and redis.call('ZREM', KEYS[2], id) == 1 then
    local job = cjson.decode(raw)
    job.state = 'pending'
    job.attempts = 0
    job.availableAt = now
    job.requeuedAt = now
    redis.call('HSET', KEYS[3], id, encode_job(job))
    redis.call('LPUSH', KEYS[4], id)
    count = count + 1
  end
end
if count > 0 then redis.call('HINCRBY', KEYS[5], 'requeued', count) end
return count

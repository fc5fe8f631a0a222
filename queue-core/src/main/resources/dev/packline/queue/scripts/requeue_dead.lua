-- requeue_dead.lua: give dead letters a fresh start behind what their group has waiting (attempts reset).
-- KEYS[1] info     hash
-- KEYS[2] dead     zset
-- KEYS[3] meta     hash
-- KEYS[4] pending  list
-- KEYS[5] stats    hash
-- KEYS[6] urgent, KEYS[7] normal, KEYS[8] bulk, KEYS[9] groups, KEYS[10] settings, KEYS[11] parked: where
-- ready jobs wait (fair_queue.lua, with pending above)
-- ARGV[1] now (ms)
-- ARGV[2..] job ids
-- Returns the number requeued, or {'refused', state} for a retired version
--!include job_record.lua
--!include fair_queue.lua
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'active' and state ~= 'draining' then return {'refused', state or 'missing'} end
local fair = fair_open({pending = KEYS[4], urgent = KEYS[6], normal = KEYS[7], bulk = KEYS[8], groups = KEYS[9],
  settings = KEYS[10], parked = KEYS[11]})
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
    fair:queue(id, job.level, job.group)
    count = count + 1
  end
end
fair:flush()
if count > 0 then redis.call('HINCRBY', KEYS[5], 'requeued', count) end
return count

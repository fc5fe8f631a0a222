-- delete_job.lua: an admin forgets jobs for good, whatever their state but running (cancel a
-- running job first): record, payload, and the list or zset the job is in. A pending job that BLMOVE
-- just moved into a worker's active list is deleted too: fetch.lua finds no record and runs nothing.
-- KEYS[1] meta      hash
-- KEYS[2] payload   hash
-- KEYS[3] delayed   zset
-- KEYS[4] retry     zset
-- KEYS[5] dead      zset
-- KEYS[6] done      zset   done and cancelled records
-- KEYS[7] cancels   hash
-- KEYS[8] pending, KEYS[9] urgent, KEYS[10] normal, KEYS[11] bulk, KEYS[12] groups, KEYS[13] settings,
-- KEYS[14] parked: where ready jobs wait (fair_queue.lua)
-- ARGV[1..] job ids (plain pending jobs among them are taken out of the pending list in one pass)
-- Returns one answer per id: 'deleted', 'missing' or 'active' (refused: it is running)
--!include job_record.lua
--!include fair_queue.lua
--!include job_cancel.lua
local fair = fair_open({pending = KEYS[8], urgent = KEYS[9], normal = KEYS[10], bulk = KEYS[11], groups = KEYS[12],
  settings = KEYS[13], parked = KEYS[14]})
local ids = {}
for i = 1, #ARGV do ids[#ids + 1] = ARGV[i] end
local taken = take_plain_batch(KEYS[1], KEYS[8], ids)
local answers = {}
for i = 1, #ARGV do
  local id = ARGV[i]
  local raw = redis.call('HGET', KEYS[1], id)
  local answer = 'deleted'
  if not raw then
    answer = 'missing'
  else
    local job = cjson.decode(raw)
    if job.state == 'active' then
      answer = 'active'
    elseif job.state == 'dead' then
      redis.call('ZREM', KEYS[5], id)
    elseif job.state == 'done' or job.state == 'cancelled' then
      redis.call('ZREM', KEYS[6], id)
    else
      take_waiting(fair, {delayed = KEYS[3], retry = KEYS[4]}, id, job, taken)
    end
    if answer == 'deleted' then
      redis.call('HDEL', KEYS[1], id)
      redis.call('HDEL', KEYS[2], id)
      redis.call('HDEL', KEYS[7], id)
    end
  end
  answers[#answers + 1] = answer
end
fair:flush()
return answers

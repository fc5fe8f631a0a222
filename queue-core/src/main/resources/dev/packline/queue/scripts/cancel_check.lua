-- cancel_check.lua: which of one worker's running jobs an admin asked to cancel; the worker calls
-- it at every heartbeat and stops those jobs. Forgets marks whose job ended meanwhile (completed
-- before the worker noticed, deleted). O(1) while no cancel is pending, else O(marks).
-- KEYS[1] cancels  hash   job id -> cancel requested at (ms)
-- KEYS[2] meta     hash
-- ARGV[1] worker id
-- Returns the ids of the worker's active jobs with a cancel mark
if redis.call('HLEN', KEYS[1]) == 0 then return {} end
local mine = {}
for _, id in ipairs(redis.call('HKEYS', KEYS[1])) do
  local raw = redis.call('HGET', KEYS[2], id)
  if not raw then
    redis.call('HDEL', KEYS[1], id)
  else
    local job = cjson.decode(raw)
    if job.state == 'active' then
      if job.worker == ARGV[1] then mine[#mine + 1] = id end
    elseif job.state ~= 'pending' then
      -- pending: on its way to a worker (BLMOVE), keep the mark for when it is activated
      redis.call('HDEL', KEYS[1], id)
    end
  end
end
return mine

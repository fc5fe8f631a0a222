-- dead_letter.lua: shared functions, included (--!include) by the scripts that fail jobs.
-- Keys come from the including script's KEYS, so every key a script touches is still declared.

-- Appends an error to the job's bounded history (the last 10) and sets lastError.
local function record_error(job, now, worker, text)
  job.lastError = text
  job.failedAt = now
  local history = job.errors
  if type(history) ~= 'table' then history = {} end
  history[#history + 1] = {at = now, attempt = job.attempts, worker = worker, error = text}
  while #history > 10 do table.remove(history, 1) end
  job.errors = history
end

-- Moves a job (already out of pending, active and retry) into the bounded dead-letter set and
-- publishes a 'dead' event for alerting. keys: meta, payload, dead, events, stats.
local function dead_letter(keys, id, job, now, reason, dead_max, events_max, queue_label)
  job.state = 'dead'
  job.deadAt = now
  job.deadReason = reason
  redis.call('HSET', keys.meta, id, encode_job(job))
  redis.call('ZADD', keys.dead, now, id)
  redis.call('XADD', keys.events, 'MAXLEN', '~', events_max, '*', 'type', 'dead', 'queue', queue_label,
    'job', id, 'attempts', job.attempts, 'worker', job.worker or '', 'reason', reason, 'error', job.lastError or '')
  redis.call('HINCRBY', keys.stats, 'dead', 1)
  local excess = redis.call('ZCARD', keys.dead) - dead_max
  if excess > 1000 then excess = 1000 end
  if excess > 0 then
    local old = redis.call('ZRANGE', keys.dead, 0, excess - 1)
    redis.call('HDEL', keys.meta, unpack(old))
    redis.call('HDEL', keys.payload, unpack(old))
    redis.call('ZREMRANGEBYRANK', keys.dead, 0, excess - 1)
  end
end

-- A job taken away from its worker (lease lost, deadline passed): dead-lettered when that was its
-- last attempt, otherwise back to the front of where it waits (fair_queue.lua). keys: meta, payload,
-- fair (a fair_open object), dead, events, stats. Returns true when it went back to pending.
local function return_or_bury(keys, id, job, now, reason, dead_max, events_max, queue_label)
  if job.attempts >= job.maxAttempts then
    dead_letter(keys, id, job, now, reason, dead_max, events_max, queue_label)
    return false
  end
  job.state = 'pending'
  redis.call('HSET', keys.meta, id, encode_job(job))
  keys.fair:queue_front(id, job.level, job.group)
  return true
end

-- job_cancel.lua: shared functions for cancelled jobs and for taking a job out of where it waits;
-- included (--!include, after job_record.lua and fair_queue.lua) by the scripts that cancel,
-- delete, fail and recover jobs. Keys come from the including script's KEYS.
--
-- A cancelled job is final: its record stays (state 'cancelled', cancelledAt, finishedAt) in the
-- done zset with the done records, under the same retention; its payload goes. A running job is
-- not stopped here: an admin's cancel puts a mark in the cancels hash (id -> requested at, ms),
-- the worker holding the job sees it at its next heartbeat (cancel_check.lua) and stops the job,
-- and whatever ends that delivery (fail, recover, release) ends it as cancelled instead of
-- retrying or returning it.

-- Ends a job as cancelled and publishes a 'cancelled' event on the events stream, beside the
-- 'dead' ones, carrying the payload (which goes from the payload hash here), so that whoever owns
-- the work the job was part of (the pipeline's stage consumer) can end it. keys: meta, payload,
-- done, stats, cancels, events.
local function end_cancelled(keys, id, job, now, events_max, queue_label)
  job.state = 'cancelled'
  job.finishedAt = now
  job.cancelledAt = now
  redis.call('HSET', keys.meta, id, encode_job(job))
  local payload = redis.call('HGET', keys.payload, id)
  redis.call('XADD', keys.events, 'MAXLEN', '~', events_max, '*', 'type', 'cancelled', 'queue', queue_label,
    'job', id, 'attempts', job.attempts, 'worker', job.worker or '', 'reason', 'cancelled', 'error', 'cancelled by an admin',
    'payload', payload or '')
  redis.call('HDEL', keys.payload, id)
  redis.call('ZADD', keys.done, now, id)
  redis.call('HDEL', keys.cancels, id)
  redis.call('HINCRBY', keys.stats, 'cancelled', 1)
end

-- Whether an admin asked to cancel the job (a mark in the cancels hash).
local function cancel_requested(cancels, id)
  return redis.call('HEXISTS', cancels, id) == 1
end

-- Whether a record is a plain job waiting in the pending list (no level: the default group at normal priority).
local function plain_pending(job)
  return job.state == 'pending' and (not job.level or job.level == '')
end

-- Takes many plain jobs out of the pending list in one pass over it (O(its length)), where one LREM
-- per job would cost O(length) each: a bulk action on a long backlog would otherwise hold Redis for
-- seconds per call. wanted: id -> true. Returns id -> true for the ids found (and taken).
local function take_from_pending(pending, wanted)
  local kept, found, any = {}, {}, false
  for _, item in ipairs(redis.call('LRANGE', pending, 0, -1)) do
    if wanted[item] and not found[item] then
      found[item] = true
      any = true
    else
      kept[#kept + 1] = item
    end
  end
  if any then
    redis.call('DEL', pending)
    for i = 1, #kept, 1000 do
      redis.call('RPUSH', pending, unpack(kept, i, math.min(i + 999, #kept)))
    end
  end
  return found
end

-- The plain pending jobs among ids, taken out of the pending list together when there are several
-- (see take_from_pending); nil when there are fewer than two (take_waiting then uses one LREM).
local function take_plain_batch(meta, pending, ids)
  local wanted, count = {}, 0
  for _, id in ipairs(ids) do
    local raw = redis.call('HGET', meta, id)
    if raw and plain_pending(cjson.decode(raw)) then
      wanted[id] = true
      count = count + 1
    end
  end
  if count < 2 then return nil end
  return take_from_pending(pending, wanted)
end

-- Takes a waiting job (pending, delayed, retry) out of the list or zset it waits in; fair is a
-- fair_open object, places has delayed and retry, taken is what take_plain_batch returned (or nil).
-- False when it is not there: a pending job that BLMOVE just moved into a worker's active list
-- (fetch.lua activates it next) is in none of them.
local function take_waiting(fair, places, id, job, taken)
  if job.state == 'delayed' then return redis.call('ZREM', places.delayed, id) == 1 end
  if job.state == 'retry' then return redis.call('ZREM', places.retry, id) == 1 end
  if job.state ~= 'pending' then return false end
  if plain_pending(job) then
    if taken then return taken[id] == true end
    return redis.call('LREM', fair.k.pending, -1, id) > 0
  end
  local level = job.level
  if redis.call('ZREM', fair.k[level], id) == 1 then return true end
  local group = job.group or ''
  local prefix = group .. '\n' .. level .. '\n'
  local members = redis.call('ZRANGEBYLEX', fair.k.parked, '[' .. prefix, '(' .. group .. '\n' .. level .. '\v')
  local suffix = '\n' .. id
  for _, member in ipairs(members) do
    if string.sub(member, -#suffix) == suffix then
      redis.call('ZREM', fair.k.parked, member)
      fair:set('parked:' .. group, (fair:get('parked:' .. group) or 1) - 1)
      return true
    end
  end
  return false
end

-- fetch.lua: hand up to `max` ready jobs to one worker, moving each into the worker's active list
-- (the backup that survives the worker's crash) and giving it a lease (deadline) and a fencing token.
-- Promotes due delayed and retry jobs first, so no separate process must stay alive for that.
-- KEYS[1] info       hash   version state, paused
-- KEYS[2] pending    list
-- KEYS[3] active     list   this worker's active list
-- KEYS[4] delayed    zset
-- KEYS[5] retry      zset
-- KEYS[6] deadlines  zset   job id -> hard deadline (ms) of every active job
-- KEYS[7] meta       hash
-- KEYS[8] payload    hash
-- KEYS[9] workers    zset   worker id -> heartbeat expiry (ms)
-- KEYS[10] urgent, KEYS[11] normal, KEYS[12] bulk   zsets of ready jobs by fair tag (fair_queue.lua)
-- KEYS[13] groups    hash   fair queueing state
-- KEYS[14] settings  hash   group weights and caps
-- KEYS[15] parked    zset   jobs of groups at their cap
-- ARGV[1] now (ms)
-- ARGV[2] worker id
-- ARGV[3] max jobs to hand out, at most 1000 (0 with a moved id: give that job back)
-- ARGV[4] id that BLMOVE already moved into this worker's active list, or ''
-- ARGV[5] max jobs to promote per zset
-- ARGV[6] worker heartbeat expiry (ms)
-- Returns {status, nextDue, n, then n groups of 7: id, payload, attempts, maxAttempts, timeoutMs, token, availableAt}
-- status: ok | paused | retired | missing. nextDue: earliest due delayed/retry time, or -1.
-- Which jobs: while only the pending list has work (a plain queue), the oldest first, a batch at a
-- time. Otherwise slot by slot: the priority level by the rotation below, then the lowest fair tag
-- of that level (the pending list counting as the default group of the normal level); a job whose
-- group holds its cap is parked instead and does not use the slot.
--!include job_record.lua
--!include fair_queue.lua
local now = tonumber(ARGV[1])
local worker = ARGV[2]
local first = ARGV[4]
local state = redis.call('HGET', KEYS[1], 'state')
local paused = redis.call('HGET', KEYS[1], 'paused') == '1'

local status = 'ok'
if not state then status = 'missing' elseif state == 'retired' then status = 'retired' elseif paused then status = 'paused' end
if status == 'ok' or status == 'paused' then
  -- registering here too (not only in heartbeat.lua) means a worker's active list is always findable
  redis.call('ZADD', KEYS[9], tonumber(ARGV[6]), worker)
end
if status ~= 'ok' then
  if first ~= '' then
    -- BLMOVE raced with a pause or retirement: give the job back to the front untouched
    redis.call('LREM', KEYS[3], 1, first)
    if first ~= WAKE_MARKER then redis.call('RPUSH', KEYS[2], first) end
  end
  return {status, -1, 0}
end
local fair = fair_open({pending = KEYS[2], urgent = KEYS[10], normal = KEYS[11], bulk = KEYS[12], groups = KEYS[13],
  settings = KEYS[14], parked = KEYS[15]})
if first == WAKE_MARKER then
  -- BLMOVE woke on a marker: it only said that a zset has work
  redis.call('LREM', KEYS[3], 1, first)
  first = ''
end

local limit = tonumber(ARGV[5])
for _, zset in ipairs({KEYS[4], KEYS[5]}) do
  local due = redis.call('ZRANGE', zset, '-inf', now, 'BYSCORE', 'LIMIT', 0, limit)
  for _, id in ipairs(due) do
    redis.call('ZREM', zset, id)
    local raw = redis.call('HGET', KEYS[7], id)
    if raw then
      local tail = string.match(raw, '^{"state":"%a+"(,"worker":.*)$')
      if tail then
        raw = '{"state":"pending"' .. tail
      else
        local job = cjson.decode(raw)
        job.state = 'pending'
        raw = encode_job(job)
      end
      redis.call('HSET', KEYS[7], id, raw)
      local level, group = job_place(raw)
      fair:queue(id, level, group)
    end
  end
end

local out = {'ok', -1, 0}
local max = tonumber(ARGV[3])
if first ~= '' and max < 1 then
  -- the worker may start no more jobs (its job budget is spent): give the moved job back untouched
  redis.call('LREM', KEYS[3], 1, first)
  redis.call('RPUSH', KEYS[2], first)
  first = ''
end

-- Take the jobs with one call per kind of change for the whole batch rather than several per job
-- (measured: about a fifth less Redis time per job). The ids come off the right of pending in order
-- (as LMOVE one by one would take them) and go onto the left of the active list in the same order.
local ids = {}
local known = {} -- records the fair path already read, by id: the batch's final step does not read them again
if first ~= '' then
  ids[1] = first
  max = max - 1
end
-- flush promotions first: the zsets below must see them
fair:flush()
local ready = {urgent = redis.call('ZCARD', KEYS[10]), normal = redis.call('ZCARD', KEYS[11]), bulk = redis.call('ZCARD', KEYS[12])}
if max > 0 and ready.urgent + ready.normal + ready.bulk == 0 then
  -- a plain queue: take the oldest jobs off the pending list in one go
  local taken = redis.call('LRANGE', KEYS[2], -max, -1)
  local n = #taken
  if n > 0 then
    redis.call('LTRIM', KEYS[2], 0, -n - 1)
    local moved = {}
    for i = n, 1, -1 do
      if taken[i] ~= WAKE_MARKER then
        moved[#moved + 1] = taken[i]
        ids[#ids + 1] = taken[i]
      end
    end
    if #moved > 0 then redis.call('LPUSH', KEYS[3], unpack(moved)) end
  end
elseif max > 0 then
  local listed = redis.call('LLEN', KEYS[2])
  if listed > 0 and listed <= MAX_WAKE_MARKERS then
    -- wake markers only (the usual case while the zsets have work): the list has no job to serve. The
    -- markers stay for the workers blocked on it; they come here and find the rest of the work.
    local markers_only = true
    for _, id in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
      if id ~= WAKE_MARKER then markers_only = false; break end
    end
    if markers_only then listed = 0 end
  end
  local turn = fair:get('turn') or 0
  local moved = {}
  local parks_left = 1000 -- bounds the script's work when a capped group has a long backlog

  -- the levels with work now, highest first
  local function levels_with_work(count)
    local levels = {}
    for _, level in ipairs(LEVELS) do
      if count[level] > 0 or (level == 'normal' and listed > 0) then levels[#levels + 1] = level end
    end
    return levels
  end

  -- the rotation: one job in SHARE_EVERY to the next lower level with work, one in SHARE_EVERY of those further down
  local function rotate(levels)
    turn = (turn + 1) % (SHARE_EVERY * SHARE_EVERY)
    if #levels > 1 and turn % SHARE_EVERY == 0 then
      return (#levels > 2 and turn == 0) and levels[3] or levels[2]
    end
    return levels[1]
  end

  -- a job popped from a level's zset (raw: its record, nil if deleted meanwhile): it runs, or waits
  -- parked when its group holds its cap (then it does not use the slot)
  local function take(level, id, tag, raw, group)
    fair:served(level, tag)
    if not raw then return end
    if not group then
      local _
      _, group = job_place(raw)
      group = group or ''
    end
    known[id] = raw
    local cap = group ~= '' and fair:cap(group)
    if cap and (fair:get(fair:run_name(group)) or 0) >= cap then
      fair:park(id, level, group, tag)
      parks_left = parks_left - 1
    else
      if cap then fair:occupy(group) end
      moved[#moved + 1] = id
      ids[#ids + 1] = id
      max = max - 1
    end
  end

  local function level_key(level)
    return KEYS[9 + (level == 'urgent' and 1 or level == 'normal' and 2 or 3)]
  end

  if listed == 0 then
    -- Only the zsets have work: plan the slots by the rotation, take each level's share with one
    -- ZPOPMIN and every record, capped group's count and cap with one call each, then serve the plan in
    -- order (the same jobs in the same order as slot by slot; measured: about half the Redis time
    -- per job of one ZPOPMIN, HGET and group lookups per slot). Parked jobs leave slots free: plan again.
    -- Most of a grouped job's cost here is Lua itself (measured with callgrind: interpreting, table
    -- lookups and inserts), so this loop keeps to locals and plain tables: no table per slot, no method
    -- call per job where a table lookup does.
    local cache, dirty = fair.cache, fair.dirty
    while max > 0 and parks_left > 0 do
      local plan, n_plan = {}, 0
      local left_urgent, left_normal, left_bulk = ready.urgent, ready.normal, ready.bulk
      local slots = math.min(max, parks_left)
      while n_plan < slots do
        -- the levels with work left, highest first, then the rotation (as rotate(levels_with_work(...)))
        local first, second, third
        if left_urgent > 0 then first = 'urgent' end
        if left_normal > 0 then if first then second = 'normal' else first = 'normal' end end
        if left_bulk > 0 then
          if second then third = 'bulk' elseif first then second = 'bulk' else first = 'bulk' end
        end
        if not first then break end
        turn = (turn + 1) % (SHARE_EVERY * SHARE_EVERY)
        local level = first
        if second and turn % SHARE_EVERY == 0 then level = (third and turn == 0) and third or second end
        if level == 'urgent' then left_urgent = left_urgent - 1
        elseif level == 'normal' then left_normal = left_normal - 1
        else left_bulk = left_bulk - 1 end
        n_plan = n_plan + 1
        plan[n_plan] = level
      end
      if n_plan == 0 then break end
      local share = {urgent = ready.urgent - left_urgent, normal = ready.normal - left_normal, bulk = ready.bulk - left_bulk}
      local popped, popped_ids, next_of, n_popped = {}, {}, {}, 0
      for _, level in ipairs(LEVELS) do
        if share[level] > 0 then
          local head = redis.call('ZPOPMIN', level_key(level), share[level])
          popped[level] = head
          next_of[level] = 1
          for i = 1, #head, 2 do
            n_popped = n_popped + 1
            popped_ids[n_popped] = head[i]
          end
        end
      end
      local raws = n_popped > 0 and redis.call('HMGET', KEYS[7], unpack(popped_ids)) or {}
      local all_caps = fair:all_caps()
      -- with no cap set anywhere (the settings hash holds none) a job's group changes nothing here: every
      -- job runs, and only capped groups keep a running count, so the records are not even searched
      local no_caps = all_caps and next(all_caps) == nil
      local raw_of, group_of, groups, fields, n_groups, n_fields = {}, {}, {}, {}, 0, 0
      for i = 1, n_popped do
        local raw = raws[i]
        if raw then
          local id = popped_ids[i]
          raw_of[id] = raw
          if no_caps then
            group_of[id] = ''
          else
            local _, group = job_place(raw)
            group = group or ''
            group_of[id] = group
            n_groups = n_groups + 1
            groups[n_groups] = group
          end
        end
      end
      if not no_caps then
        if not all_caps then fair:prefetch_caps(groups) end
        for i = 1, n_groups do
          local group = groups[i]
          if group ~= '' and fair:cap(group) then
            n_fields = n_fields + 1
            fields[n_fields] = fair:run_name(group) -- a capped group's count decides whether its job runs
          end
        end
        fair:prefetch(fields)
      end
      local n_ids, n_moved = #ids, #moved
      -- every popped job is served (runs or is parked): the level's virtual time moves to the last
      -- one's tag, the highest (a job's own tag is read only to park it: turning each score into a
      -- number was a measurable cost)
      for level, head in pairs(popped) do
        if #head > 0 then fair:served(level, tonumber(head[#head])) end
      end
      for i = 1, n_plan do
        local level = plan[i]
        local head = popped[level]
        local at = next_of[level]
        local id = head[at]
        if id then
          next_of[level] = at + 2
          ready[level] = ready[level] - 1
          local raw = raw_of[id]
          if raw then
            -- served: it runs, or waits parked when its group holds its cap (then it does not use the slot)
            known[id] = raw
            local group = group_of[id]
            local runs = true
            local cap
            if group == '' then
              cap = nil
            elseif all_caps then
              cap = all_caps[group]
            else
              cap = fair:cap(group)
            end
            if cap then
              local run_field = fair:run_name(group)
              local running = cache[run_field]
              if running == nil then running = fair:get(run_field) end
              running = running or 0
              if running >= cap then
                fair:park(id, level, group, tonumber(head[at + 1]))
                parks_left = parks_left - 1
                runs = false
              else
                cache[run_field] = running + 1
                dirty[run_field] = true
              end
            end
            if runs then
              n_moved = n_moved + 1
              moved[n_moved] = id
              n_ids = n_ids + 1
              ids[n_ids] = id
              max = max - 1
            end
          end
        else
          ready[level] = 0 -- fewer than counted (nothing else changes the zset inside this script)
        end
      end
    end
  else
    -- the pending list (the default group of the normal level) has jobs too: slot by slot, merging it by its tag
    while max > 0 and parks_left > 0 do
      local levels = levels_with_work(ready)
      if #levels == 0 then break end
      local level = rotate(levels)
      local from_list, list_tag = false, nil
      if level == 'normal' and listed > 0 then
        list_tag = math.max(fair:get('vt:normal') or 0, fair:get('f:normal:') or 0) + TAG_UNIT
        from_list = ready.normal == 0 or list_tag <= tonumber(redis.call('ZRANGE', KEYS[11], 0, 0, 'WITHSCORES')[2])
      end
      if from_list then
        local id = redis.call('RPOP', KEYS[2])
        listed = listed - 1
        while id == WAKE_MARKER do
          id = redis.call('RPOP', KEYS[2])
          listed = listed - 1
        end
        if id then
          fair:served('normal', list_tag)
          fair:set('f:normal:', list_tag)
          moved[#moved + 1] = id
          ids[#ids + 1] = id
          max = max - 1
        else
          listed = 0
          turn = (turn - 1) % (SHARE_EVERY * SHARE_EVERY) -- only markers were left: the turn goes to a level with work
        end
      else
        local head = redis.call('ZPOPMIN', level_key(level))
        ready[level] = head[1] and ready[level] - 1 or 0
        if head[1] then take(level, head[1], tonumber(head[2]), redis.call('HGET', KEYS[7], head[1])) end
      end
    end
  end
  fair:set('turn', turn)
  if #moved > 0 then redis.call('LPUSH', KEYS[3], unpack(moved)) end
  fair:flush()
end

if #ids > 0 then
  local worker_json = cjson.encode(worker)
  -- the records the fair path read above are still current (nothing in this script wrote them since)
  local raws, unknown, n_unknown = {}, {}, 0
  for i, id in ipairs(ids) do
    local raw = known[id]
    if raw then
      raws[i] = raw
    else
      n_unknown = n_unknown + 1
      unknown[n_unknown] = i
    end
  end
  if n_unknown > 0 then
    local asked = {}
    for j = 1, n_unknown do asked[j] = ids[unknown[j]] end
    local got = redis.call('HMGET', KEYS[7], unpack(asked))
    for j = 1, n_unknown do raws[unknown[j]] = got[j] end
  end
  local payloads = redis.call('HMGET', KEYS[8], unpack(ids))
  local records, deadlines, n_records, n_out = {}, {}, 0, #out
  for i, id in ipairs(ids) do
    local raw = raws[i]
    if not raw then
      -- deleted while pending (dead-letter delete, obliterate): nothing to run
      redis.call('LREM', KEYS[3], 1, id)
    else
      local attempts, maxAttempts, timeoutMs, availableAt, deliveries
      local _, _, d, fin, a, _, ma, to, av, rest_at = string.match(raw, HOT_PATTERN)
      if d then
        deliveries, attempts = int(tonumber(d) + 1), int(tonumber(a) + 1)
        maxAttempts, timeoutMs, availableAt = ma, to, av
        raw = job_text('active', worker_json, deliveries, fin, attempts, ARGV[1], ma, to, av, string.sub(raw, rest_at))
      else
        local job = cjson.decode(raw)
        job.attempts = job.attempts + 1
        job.deliveries = job.deliveries + 1
        job.state = 'active'
        job.worker = worker
        job.startedAt = now
        deliveries, attempts = int(job.deliveries), int(job.attempts)
        maxAttempts, timeoutMs, availableAt = int(job.maxAttempts), int(job.timeoutMs), int(job.availableAt)
        raw = encode_job(job)
      end
      records[n_records + 1] = id
      records[n_records + 2] = raw
      deadlines[n_records + 1] = int(now + tonumber(timeoutMs))
      deadlines[n_records + 2] = id
      n_records = n_records + 2
      out[n_out + 1] = id
      out[n_out + 2] = payloads[i] or ''
      out[n_out + 3] = attempts
      out[n_out + 4] = maxAttempts
      out[n_out + 5] = timeoutMs
      out[n_out + 6] = deliveries
      out[n_out + 7] = availableAt
      n_out = n_out + 7
      out[3] = out[3] + 1
    end
  end
  if n_records > 0 then
    redis.call('HSET', KEYS[7], unpack(records))
    redis.call('ZADD', KEYS[6], unpack(deadlines))
  end
end

local nextDue = -1
for _, zset in ipairs({KEYS[4], KEYS[5]}) do
  local head = redis.call('ZRANGE', zset, 0, 0, 'WITHSCORES')
  if head[2] then
    local score = tonumber(head[2])
    if nextDue < 0 or score < nextDue then nextDue = score end
  end
end
out[2] = nextDue
return out

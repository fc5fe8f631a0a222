-- fair_queue.lua: where ready jobs wait, by priority level and group; included (--!include) by every
-- script that makes a job ready, hands one out or ends a delivery. Keys come from the including
-- script's KEYS (a table fq: pending, urgent, normal, bulk, groups, settings, parked), so every key a
-- script touches is still declared.
--
-- Layout. A job of the default group at normal priority (a record without "level", today's format)
-- waits in the pending list, FIFO, as before; so does a plain queue's fast path. Every other job waits
-- in its level's zset (urgent, normal, bulk) scored by a start-time fair queueing tag: a job of group
-- G gets tag = max(level's virtual time, G's last tag) + 1,000,000 / weight(G), and fetch takes the
-- lowest tag, setting the level's virtual time to it. So two waiting groups alternate whatever the
-- sizes of their backlogs, a group of weight 2 gets twice the slots, and a group that was idle starts
-- at the current virtual time instead of catching up. The pending list takes part in the normal level
-- as the default group (weight 1) with the same rule. A job whose group holds its cap of running jobs
-- is parked (zset parked, by lex: GROUP \n LEVEL \n TAG \n ID) and goes back with its tag when one of
-- the group's jobs ends.
--
-- groups hash: vt:LEVEL virtual time, f:LEVEL:GROUP last tag given (forgotten by trim.lua once the
-- level's virtual time has reached it: from then on it no longer changes a tag), run:GROUP
-- running jobs of a capped group, parked:GROUP parked jobs, turn (the priority rotation). settings
-- hash: weight:GROUP, cap:GROUP. The default group (empty name) has weight 1 and no cap.
--
-- Running counts are kept for capped groups only: fetch needs them to decide whether a job runs, and
-- keeping one for every group (a count up at each fetch, down at each ack) was about an eighth of a
-- grouped job's Redis instructions. So a group that gets a cap has its running jobs counted then
-- (count_running: its jobs among the active ones, the deadlines zset), one that loses its cap loses
-- its count, and trim.lua counts every capped group again (at most every 30 s per version) and
-- corrects a count that differs (a cap set by an older build's admin, which does not count; a count
-- an older build's worker kept for an uncapped group is deleted there). Who wants the running jobs of every group
-- (admin group list, the group gauges) counts them with running_groups.lua.
--
-- Workers blocked in BLMOVE wait on the pending list only, so making a zset job ready pushes a wake
-- marker (a single space, never a job id) onto an empty pending list; fetch drops markers it meets.

local LEVELS = {'urgent', 'normal', 'bulk'}
local TAG_UNIT = 1000000
local SHARE_EVERY = 5
local WAKE_MARKER = ' '
local MAX_WAKE_MARKERS = 16

-- the level and group of a job record, or nil for the default group at normal priority. A plain find
-- and one match anchored where enqueue.lua writes the fields (group right after level): an unanchored
-- pattern scan of every record was the largest single cost of the fair path in Redis (measured with perf).
-- A bare ',"level":"' can only be that key: inside a JSON string its quotes are escaped. A record
-- rewritten by cjson (encode_job) may hold the fields in another order: then a second look finds the group.
local function job_place(raw)
  local at = string.find(raw, ',"level":"', 1, true)
  if not at then return nil, nil end
  local level, group = string.match(raw, '^(%a+)","group":"([^"]*)"', at + 10)
  if level then return level, group end
  level = string.match(raw, '^(%a+)"', at + 10)
  if not level then return nil, nil end
  return level, string.match(raw, '"group":"([^"]*)"') or ''
end

local Fair = {}
Fair.__index = Fair

local function fair_open(fq)
  return setmetatable({k = fq, cache = {}, dirty = {}, weights = {}, caps = {}, adds = {}, wake = 0, field_names = {}, tag_fields = {},
    run_names = {}}, Fair)
end

local VIRTUAL_TIME = {urgent = 'vt:urgent', normal = 'vt:normal', bulk = 'vt:bulk'}

-- a group's field names (run, parked, cap), built once per script call: building them again for
-- every job of a batch (string concatenation and interning) was a measurable part of each fetch and ack
function Fair:names(group)
  local names = self.field_names[group]
  if not names then
    names = {run = 'run:' .. group, parked = 'parked:' .. group, cap = 'cap:' .. group}
    self.field_names[group] = names
  end
  return names
end

-- a group's running count field alone (fetch and ack need no other name of an uncapped group)
function Fair:run_name(group)
  local name = self.run_names[group]
  if not name then
    name = 'run:' .. group
    self.run_names[group] = name
  end
  return name
end

-- the groups hash field holding the last tag given to a group at a level, built once per script call
function Fair:tag_field(level, group)
  local of_level = self.tag_fields[level]
  if not of_level then of_level = {}; self.tag_fields[level] = of_level end
  local field = of_level[group]
  if not field then
    field = 'f:' .. level .. ':' .. group
    of_level[group] = field
  end
  return field
end

-- a number from the groups hash, read once per script call; nil when absent
function Fair:get(field)
  local value = self.cache[field]
  if value == nil then
    value = tonumber(redis.call('HGET', self.k.groups, field)) or false
    self.cache[field] = value
  end
  return value or nil
end

-- nil or 0 deletes the field at flush
function Fair:set(field, value)
  if value == 0 then value = nil end
  self.cache[field] = value or false
  self.dirty[field] = true
end

-- reads the fields not read yet with one HMGET, so a batch costs one call, not one HGET per job
function Fair:prefetch(fields)
  local wanted, n, asked = {}, 0, {}
  for _, field in ipairs(fields) do
    if self.cache[field] == nil and not asked[field] then
      n = n + 1
      wanted[n] = field
      asked[field] = true
    end
  end
  if n == 0 then return end
  local values = redis.call('HMGET', self.k.groups, unpack(wanted))
  for i = 1, n do self.cache[wanted[i]] = tonumber(values[i]) or false end
end

-- The caps of every group at once when the settings hash is small (HLEN, then HGETALL of at most
-- SMALL_SETTINGS fields; none at all when it is empty, the usual case), so a batch reads no cap field per
-- group; false when it is larger (then caps are read per group). Read once per script call, so a cap an
-- admin set with any build is seen by the next call.
local SMALL_SETTINGS = 64

-- every group's cap in the settings hash (HGETALL), group -> cap
local function read_caps(settings)
  local caps = {}
  local pairs_list = redis.call('HGETALL', settings)
  for i = 1, #pairs_list, 2 do
    local group = string.match(pairs_list[i], '^cap:(.*)$')
    if group then caps[group] = tonumber(pairs_list[i + 1]) end
  end
  return caps
end

function Fair:all_caps()
  local all = self.caps_all
  if all == nil then
    local size = redis.call('HLEN', self.k.settings)
    if size == 0 then
      all = {}
    elseif size <= SMALL_SETTINGS then
      all = read_caps(self.k.settings)
    else
      all = false
    end
    self.caps_all = all
  end
  return all
end

-- reads the caps of the groups (names, the default group included or not) not known yet with one HMGET
function Fair:prefetch_caps(groups)
  if self:all_caps() then return end
  local wanted, fields, n = {}, {}, 0
  for _, group in ipairs(groups) do
    if group ~= '' and self.caps[group] == nil then
      n = n + 1
      wanted[n] = group
      fields[n] = self:names(group).cap
      self.caps[group] = false -- listed once however often the batch names it
    end
  end
  if n == 0 then return end
  local values = redis.call('HMGET', self.k.settings, unpack(fields))
  for i = 1, n do self.caps[wanted[i]] = tonumber(values[i]) or false end
end

-- whether any job is parked (one ZCARD per script call): while none is, ending a running job frees
-- no parked one, so the group's cap and parked count need not be read
function Fair:any_parked()
  local any = self.parked_any
  if any == nil then
    any = redis.call('ZCARD', self.k.parked) > 0
    self.parked_any = any
  end
  return any
end

-- reads what releasing a running job of each group needs (its count; while jobs are parked its parked
-- count and cap too) in one or two calls
function Fair:prefetch_release(groups)
  local fields, n = {}, 0
  local parked = self:any_parked()
  for _, group in ipairs(groups) do
    if group ~= '' then
      local names = self:names(group)
      n = n + 1
      fields[n] = names.run
      if parked then
        n = n + 1
        fields[n] = names.parked
      end
    end
  end
  self:prefetch(fields)
  if parked then self:prefetch_caps(groups) end
end

function Fair:weight(group)
  local weight = self.weights[group]
  if weight == nil then
    weight = group ~= '' and tonumber(redis.call('HGET', self.k.settings, 'weight:' .. group)) or 1
    self.weights[group] = weight
  end
  return weight
end

-- the group's cap of running jobs, or nil
function Fair:cap(group)
  local all = self:all_caps()
  if all then return all[group] end
  local cap = self.caps[group]
  if cap == nil then
    cap = group ~= '' and tonumber(redis.call('HGET', self.k.settings, self:names(group).cap)) or false
    self.caps[group] = cap
  end
  return cap or nil
end

function Fair:add(level, tag, id)
  local adds = self.adds[level]
  if not adds then adds = {}; self.adds[level] = adds end
  adds[#adds + 1] = tag
  adds[#adds + 1] = id
  self.wake = self.wake + 1
end

-- makes a job ready behind what its group already has waiting
function Fair:queue(id, level, group)
  if not level then
    redis.call('LPUSH', self.k.pending, id)
    return
  end
  local last_field = self:tag_field(level, group)
  local tag = math.max(self:get(VIRTUAL_TIME[level] or 'vt:' .. level) or 0, self:get(last_field) or 0) + math.floor(TAG_UNIT / self:weight(group))
  self:set(last_field, tag)
  self:add(level, tag, id)
end

-- makes a job ready ahead of everything waiting at its level (a recovered job goes back to the front)
function Fair:queue_front(id, level, group)
  if not level then
    redis.call('RPUSH', self.k.pending, id)
    return
  end
  self:add(level, 0, id)
end

-- fetch took a job with this tag: the level's virtual time moves on (never back: front jobs have tag 0)
function Fair:served(level, tag)
  local field = VIRTUAL_TIME[level] or 'vt:' .. level
  if tag > (self:get(field) or 0) then self:set(field, tag) end
end

-- parks a job whose group holds its cap; it keeps its tag
function Fair:park(id, level, group, tag)
  redis.call('ZADD', self.k.parked, 0, group .. '\n' .. level .. '\n' .. string.format('%016d', tag) .. '\n' .. id)
  local parked = self:names(group).parked
  self:set(parked, (self:get(parked) or 0) + 1)
  self.parked_any = true
end

-- puts up to n of a group's parked jobs back where fetch finds them, oldest tag first per level
function Fair:unpark(group, n)
  local parked = self:names(group).parked
  if n < 1 or not self:get(parked) then return 0 end
  local members = redis.call('ZRANGEBYLEX', self.k.parked, '[' .. group .. '\n', '(' .. group .. '\v', 'LIMIT', 0, n)
  for _, member in ipairs(members) do
    local level, tag, id = string.match(member, '\n(%a+)\n(%d+)\n(.*)$')
    self:add(level, tonumber(tag), id)
  end
  if #members > 0 then redis.call('ZREM', self.k.parked, unpack(members)) end
  self:set(parked, (self:get(parked) or 0) - #members)
  return #members
end

-- a job of a capped group started running
function Fair:occupy(group)
  local run = self:run_name(group)
  self:set(run, (self:get(run) or 0) + 1)
end

-- a running job of the group ended (done, failed, recovered, released): a capped group's count goes
-- down, and its slot goes to a parked job (of an uncapped group too: its cap was removed while more jobs
-- were parked than group_settings.lua put back)
function Fair:release(group)
  if not group or group == '' then return end
  local cap = self:cap(group)
  local running
  if cap then
    local run = self:run_name(group)
    running = (self:get(run) or 1) - 1
    self:set(run, running)
  end
  if not self:any_parked() then return end
  if not cap or running < cap then self:unpark(group, 1) end
end

-- whether ending a running job can change anything of its group: false while no group has a cap and
-- no job is parked (the usual case), when an ack need not even find its jobs' groups
function Fair:groups_matter()
  local all = self:all_caps()
  return not all or next(all) ~= nil or self:any_parked()
end

-- running jobs of these groups ended (one entry per job, '' for the default group), as release does for
-- each: while no job is parked (an ack's usual case) that is one HINCRBY per capped group for the whole
-- batch, with no parked count read. Call it after everything else the script reads from the groups hash
-- through the cache (it changes the counts behind the cache), before flush.
function Fair:release_all(groups)
  local ends, distinct, n = {}, {}, 0
  for i = 1, #groups do
    local group = groups[i]
    if group ~= '' then
      local count = ends[group]
      if count then
        ends[group] = count + 1
      else
        ends[group] = 1
        n = n + 1
        distinct[n] = group
      end
    end
  end
  if n == 0 then return end
  if self:any_parked() then
    self:prefetch_release(distinct)
    for i = 1, #groups do self:release(groups[i]) end
    return
  end
  self:prefetch_caps(distinct)
  -- HINCRBY per capped group rather than a read and a write of its count: measured cheaper per job
  local emptied, n_emptied = {}, 0
  for i = 1, n do
    local group = distinct[i]
    if self:cap(group) then
      local field = self:run_name(group)
      -- the count as digits: a Lua number argument would be formatted with '%.14g', measurably dearer
      if redis.call('HINCRBY', self.k.groups, field, string.format('%d', -ends[group])) <= 0 then
        -- as release does job by job: a count never goes below 0, and 0 deletes the field
        n_emptied = n_emptied + 1
        emptied[n_emptied] = field
      end
    end
  end
  if n_emptied > 0 then redis.call('HDEL', self.k.groups, unpack(emptied)) end
end

-- The running jobs of a version, counted by group from its active jobs (every id in the deadlines zset
-- whose record is active; the default group is not counted): what run:GROUP holds for a capped group.
-- only: a set of groups (group -> true) to count, or nil for all. Reads every active record, in
-- HMGETs of 1000: a cost in proportion to the running jobs, for admin commands and the janitor.
local function count_running(deadlines, meta, only)
  local counts = {}
  local ids = redis.call('ZRANGE', deadlines, 0, -1)
  for from = 1, #ids, 1000 do
    local chunk, n = {}, 0
    for i = from, math.min(from + 999, #ids) do
      n = n + 1
      chunk[n] = ids[i]
    end
    local raws = redis.call('HMGET', meta, unpack(chunk))
    for i = 1, n do
      local raw = raws[i]
      -- a bare '"state":"active"' can only be the record's own state (inside a JSON string quotes are escaped)
      if raw and string.find(raw, '"state":"active"', 1, true) then
        local _, group = job_place(raw)
        if group and group ~= '' and (not only or only[group]) then counts[group] = (counts[group] or 0) + 1 end
      end
    end
  end
  return counts
end

-- writes what the call changed so far (it may be called again): tags into the zsets, the groups hash, and wake markers for workers
-- blocked on the empty pending list
function Fair:flush()
  for _, level in ipairs(LEVELS) do
    local adds = self.adds[level]
    if adds then redis.call('ZADD', self.k[level], unpack(adds)) end
  end
  local set, gone, n_set, n_gone = {}, {}, 0, 0
  for field in pairs(self.dirty) do
    local value = self.cache[field]
    if value then
      set[n_set + 1] = field
      set[n_set + 2] = string.format('%d', value)
      n_set = n_set + 2
    else
      n_gone = n_gone + 1
      gone[n_gone] = field
    end
  end
  if n_set > 0 then redis.call('HSET', self.k.groups, unpack(set)) end
  if n_gone > 0 then redis.call('HDEL', self.k.groups, unpack(gone)) end
  if self.wake > 0 and redis.call('LLEN', self.k.pending) == 0 then
    local markers = {}
    for i = 1, math.min(self.wake, MAX_WAKE_MARKERS) do markers[i] = WAKE_MARKER end
    redis.call('LPUSH', self.k.pending, unpack(markers))
  end
  self.adds, self.dirty, self.wake = {}, {}, 0
end

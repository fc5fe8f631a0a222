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
-- groups hash: vt:LEVEL virtual time, f:LEVEL:GROUP last tag given (dropped once served), run:GROUP
-- running jobs, parked:GROUP parked jobs, turn (the priority rotation). settings hash: weight:GROUP,
-- cap:GROUP. The default group (empty name) has weight 1 and no cap.
--
-- Workers blocked in BLMOVE wait on the pending list only, so making a zset job ready pushes a wake
-- marker (a single space, never a job id) onto an empty pending list; fetch drops markers it meets.

local LEVELS = {'urgent', 'normal', 'bulk'}
local TAG_UNIT = 1000000
local SHARE_EVERY = 5
local WAKE_MARKER = ' '
local MAX_WAKE_MARKERS = 16

-- the level and group of a job record, or nil for the default group at normal priority. A plain find
-- and matches anchored where enqueue.lua writes the fields (group right after level): an unanchored
-- pattern scan of every record was the largest single cost of the fair path in Redis (measured with perf).
-- A bare ',"level":"' can only be that key: inside a JSON string its quotes are escaped.
local function job_place(raw)
  local at = string.find(raw, ',"level":"', 1, true)
  if not at then return nil, nil end
  local level, after = string.match(raw, '^(%a+)"()', at + 10)
  if not level then return nil, nil end
  return level, string.match(raw, '^,"group":"([^"]*)"', after) or string.match(raw, '"group":"([^"]*)"') or ''
end

local Fair = {}
Fair.__index = Fair

local function fair_open(fq)
  return setmetatable({k = fq, cache = {}, dirty = {}, weights = {}, caps = {}, adds = {}, wake = 0, field_names = {}, tag_fields = {}}, Fair)
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

-- reads the caps of the groups (names, the default group included or not) not known yet with one HMGET
function Fair:prefetch_caps(groups)
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

-- reads what releasing a running job of each group needs (its count, its parked count, its cap) in two calls
function Fair:prefetch_release(groups)
  local fields, n = {}, 0
  for _, group in ipairs(groups) do
    if group ~= '' then
      local names = self:names(group)
      fields[n + 1] = names.run
      fields[n + 2] = names.parked
      n = n + 2
    end
  end
  self:prefetch(fields)
  self:prefetch_caps(groups)
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

-- a job of the group started running
function Fair:occupy(group)
  if group ~= '' then
    local run = self:names(group).run
    self:set(run, (self:get(run) or 0) + 1)
  end
end

-- a running job of the group ended (done, failed, recovered, released): its slot goes to a parked job
function Fair:release(group)
  if not group or group == '' then return end
  local run = self:names(group).run
  local running = (self:get(run) or 1) - 1
  self:set(run, running)
  local cap = self:cap(group)
  if not cap or running < cap then self:unpark(group, 1) end
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

-- job_record.lua: how a job's record (the JSON in the meta hash) is written; included (--!include)
-- by every script that writes one. The fields the fetch and ack paths touch on every delivery come
-- first, always present and in a fixed order, so those paths check and rewrite a record with a
-- prefix comparison or one pattern match and a string concatenation, instead of cjson.decode plus
-- cjson.encode (whose number formatting made it the largest single cost of a delivery in Redis).
-- The record stays plain JSON: every other reader decodes it with cjson, and a record in any other
-- layout (written before this one) takes the decode path. An empty worker and zero times mean "not set".
local HOT_FIELDS = {'state', 'worker', 'deliveries', 'finishedAt', 'attempts', 'startedAt', 'maxAttempts', 'timeoutMs', 'availableAt'}
-- captures: state, worker (JSON string, quotes included, no escapes inside), deliveries, finishedAt,
-- attempts, startedAt, maxAttempts, timeoutMs, availableAt, and the position of the rest (',"more":...}' or '}')
local HOT_PATTERN = '^{"state":"(%a+)","worker":("[^"\\]*"),"deliveries":(%d+),"finishedAt":(%d+),"attempts":(%d+),'
  .. '"startedAt":(%d+),"maxAttempts":(%d+),"timeoutMs":(%d+),"availableAt":(%d+)()'

-- integers as digits (string.format '%d' avoids the costlier '%.14g' of Lua's own number-to-string)
local function int(value)
  if type(value) == 'string' then return value end
  return string.format('%d', value or 0)
end

-- the record's text from its hot fields (strings of digits or numbers; worker as a JSON string)
-- and the rest of the record as ',"more":...}' or '}'
local function job_text(state, worker_json, deliveries, finishedAt, attempts, startedAt, maxAttempts, timeoutMs, availableAt, rest)
  return '{"state":"' .. state .. '","worker":' .. worker_json .. ',"deliveries":' .. int(deliveries)
    .. ',"finishedAt":' .. int(finishedAt) .. ',"attempts":' .. int(attempts) .. ',"startedAt":' .. int(startedAt)
    .. ',"maxAttempts":' .. int(maxAttempts) .. ',"timeoutMs":' .. int(timeoutMs) .. ',"availableAt":' .. int(availableAt) .. rest
end

local function encode_job(job)
  local hot = {}
  for i, field in ipairs(HOT_FIELDS) do
    hot[i] = job[field]
    job[field] = nil
  end
  local rest = cjson.encode(job)
  for i, field in ipairs(HOT_FIELDS) do job[field] = hot[i] end
  if rest == '{}' then rest = '}' else rest = ',' .. string.sub(rest, 2) end
  return job_text(job.state, cjson.encode(job.worker or ''), job.deliveries, job.finishedAt, job.attempts, job.startedAt,
    job.maxAttempts, job.timeoutMs, job.availableAt, rest)
end

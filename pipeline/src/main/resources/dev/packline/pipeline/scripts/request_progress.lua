-- request_progress.lua: record one stage outcome of one channel, once per (channel, stage), so a
-- redelivered job never counts twice. A terminal outcome (the last stage done, or any stage dead
-- or cancelled) ends the channel. The request finishes when its last channel has ended and so
-- have the patches it waits for (request_diff.lua); the call that finishes it (state, finishedAt,
-- retention) is told so, which makes exactly one notify job.
-- KEYS[1] request   hash   counters, state, times
-- KEYS[2] channels  hash   channel index -> JSON {channel, stages, ended, objectKey, bytes, sha256, error...}
-- ARGV[1] channel index
-- ARGV[2] stage (package | upload | diff)
-- ARGV[3] outcome: done | dead | cancelled
-- ARGV[4] result fields as a JSON object, merged into the channel's record
-- ARGV[5] '1' when this outcome ends the channel (dead and cancelled always do)
-- ARGV[6] now (ms)
-- ARGV[7] retention after the request finishes (s)
-- Returns {recorded (1/0, -1 if no such request), ended, total, finishedNow (1/0), finished (1/0: in a final state)}
--!include request_finish.lua
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {-1, 0, 0, 0, 0} end
local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
local raw = redis.call('HGET', KEYS[2], ARGV[1])
local channel = raw and cjson.decode(raw) or {stages = {}}
if type(channel.stages) ~= 'table' then channel.stages = {} end
local stage, outcome = ARGV[2], ARGV[3]
if channel.stages[stage] then
  return {0, tonumber(redis.call('HGET', KEYS[1], 'ended')), total, 0, FINAL_STATES[state] and 1 or 0}
end
channel.stages[stage] = outcome
for k, v in pairs(cjson.decode(ARGV[4])) do channel[k] = v end
redis.call('HINCRBY', KEYS[1], stage .. '.' .. outcome, 1)
if not redis.call('HGET', KEYS[1], 'startedAt') then
  redis.call('HSET', KEYS[1], 'startedAt', ARGV[6])
end
if state == 'queued' then redis.call('HSET', KEYS[1], 'state', 'running') end
local finished = 0
local ended = tonumber(redis.call('HGET', KEYS[1], 'ended'))
if (ARGV[5] == '1' or outcome ~= 'done') and not channel.ended then
  channel.ended = true
  channel.outcome = outcome
  ended = redis.call('HINCRBY', KEYS[1], 'ended', 1)
  if outcome == 'dead' then redis.call('HINCRBY', KEYS[1], 'failed', 1) end
  if outcome == 'cancelled' then redis.call('HINCRBY', KEYS[1], 'cancelled', 1) end
  if ended == total then
    finished = finish_if_complete(KEYS[1], KEYS[2], ARGV[6], ARGV[7])
  end
end
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(channel)) -- an existing hash keeps the retention just set
return {1, ended, total, finished, FINAL_STATES[redis.call('HGET', KEYS[1], 'state')] and 1 or 0}

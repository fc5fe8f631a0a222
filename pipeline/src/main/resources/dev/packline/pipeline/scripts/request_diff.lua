-- request_diff.lua: one request's side of a patch (a diff of a mother pair, made once for every
-- request with that pair). 'link' records that the request waits for the patch; 'done' and 'dead'
-- record how the patch ended, once per request and pair, whichever of link and end comes first
-- (the patch may exist before a later request links it, or end between a link's two steps). A
-- request finishes when its last channel and its last linked patch have ended; the call that
-- finishes it is told so, which makes exactly one notify job.
-- KEYS[1] request   hash   counters ('diffs' linked, 'diffsEnded', 'diff.done', 'diff.dead'), a field per pair
-- KEYS[2] channels  hash   (only its retention is set here)
-- ARGV[1] pair field ('diff:OLD:NEW')
-- ARGV[2] action: link | done | dead
-- ARGV[3] now (ms)
-- ARGV[4] retention after the request finishes (s)
-- Returns {recorded (1/0, -1 if no such request), finishedNow (1/0), finished (1/0: in a final state)}
--!include request_finish.lua
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {-1, 0, 0} end
local field, action = ARGV[1], ARGV[2]
local current = redis.call('HGET', KEYS[1], field)
local recorded = 0
if action == 'link' then
  if not current then
    redis.call('HSET', KEYS[1], field, 'pending')
    redis.call('HINCRBY', KEYS[1], 'diffs', 1)
    recorded = 1
  end
else
  -- 'pending' (or '1', as links were written before patches were counted) is the only state an end changes
  if not current or current == 'pending' or current == '1' then
    if current ~= 'pending' then redis.call('HINCRBY', KEYS[1], 'diffs', 1) end
    redis.call('HSET', KEYS[1], field, action)
    redis.call('HINCRBY', KEYS[1], 'diffsEnded', 1)
    redis.call('HINCRBY', KEYS[1], 'diff.' .. action, 1)
    recorded = 1
  end
end
if FINAL_STATES[state] then return {recorded, 0, 1} end
local finished = finish_if_complete(KEYS[1], KEYS[2], ARGV[3], ARGV[4])
return {recorded, finished, finished}

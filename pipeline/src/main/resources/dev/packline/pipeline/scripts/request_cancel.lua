-- request_cancel.lua: mark a request cancelled unless it already finished. Channels not started yet
-- are then ended as cancelled by the package stage when their job comes up; finished ones stay.
-- KEYS[1] request   hash
-- ARGV[1] now (ms)
-- Returns {1, state before} when the cancel was accepted, {0, final state} when the request had
-- already finished, or false when there is no such request
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return false end
if state == 'queued' or state == 'running' then
  redis.call('HSET', KEYS[1], 'cancelRequested', ARGV[1])
  return {1, state}
end
return {0, state}

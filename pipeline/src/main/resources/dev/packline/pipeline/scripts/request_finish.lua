-- request_finish.lua: included by the scripts that can end a request's last piece of work.
-- A request is complete when every channel has ended and every patch it linked has ended (a
-- cancelled request does not wait for patches, which other requests may share). Its final state:
-- cancelled if any channel was, failed if every channel failed, partly_failed if some channel or a
-- patch failed, else done. Sets the state and finishedAt, starts the retention of the request and
-- its channels, returns 1; else 0.
local FINAL_STATES = {done = true, failed = true, partly_failed = true, cancelled = true}

local function finish_if_complete(request, channels, now, retention)
  local f = redis.call('HMGET', request, 'total', 'ended', 'failed', 'cancelled', 'diffs', 'diffsEnded', 'diff.dead')
  local total, ended = tonumber(f[1]), tonumber(f[2])
  local failed, cancelled = tonumber(f[3]) or 0, tonumber(f[4]) or 0
  local diffs, diffs_ended, diffs_dead = tonumber(f[5]) or 0, tonumber(f[6]) or 0, tonumber(f[7]) or 0
  if ended ~= total or (cancelled == 0 and diffs_ended < diffs) then return 0 end
  local final = 'done'
  if cancelled > 0 then final = 'cancelled'
  elseif failed == total then final = 'failed'
  elseif failed > 0 or diffs_dead > 0 then final = 'partly_failed' end
  redis.call('HSET', request, 'state', final, 'finishedAt', now)
  redis.call('EXPIRE', request, tonumber(retention))
  redis.call('EXPIRE', channels, tonumber(retention))
  return 1
end

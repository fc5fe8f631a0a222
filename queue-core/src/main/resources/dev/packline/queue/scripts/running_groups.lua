-- running_groups.lua: the running jobs of every group of a version (the default group not counted),
-- counted from its active jobs: only capped groups keep a count (fair_queue.lua). Reads every active
-- record, for admin commands and gauges, not for the job path.
-- KEYS[1] deadlines  zset   every active job of the version
-- KEYS[2] meta       hash   job records
-- Returns {group1, running1, group2, running2, ...}
--!include fair_queue.lua
local out = {}
for group, running in pairs(count_running(KEYS[1], KEYS[2], nil)) do
  out[#out + 1] = group
  out[#out + 1] = running
end
return out

-- group_settings.lua: set one group's weight and cap of running jobs on one queue version. Only a
-- capped group keeps a running count (fair_queue.lua), so a cap set here counts the group's running
-- jobs (whatever count was there: a cap set earlier by an older build's admin counted nothing), and a
-- cap removed takes the count with it. When the cap is raised or removed, jobs it parked go back where
-- fetch finds them, as many as the new cap has room for (at most 1000 per call; the rest follow as the
-- group's jobs end).
-- KEYS[1] pending, KEYS[2] urgent, KEYS[3] normal, KEYS[4] bulk, KEYS[5] groups, KEYS[6] settings,
-- KEYS[7] parked: where ready jobs wait (fair_queue.lua)
-- KEYS[8] deadlines  zset   every active job of the version
-- KEYS[9] meta       hash   job records
-- ARGV[1] group (not the default group)
-- ARGV[2] weight, or '' for the default (1)
-- ARGV[3] cap of running jobs, or '' for none
-- Returns the number of parked jobs put back
--!include fair_queue.lua
local fair = fair_open({pending = KEYS[1], urgent = KEYS[2], normal = KEYS[3], bulk = KEYS[4], groups = KEYS[5],
  settings = KEYS[6], parked = KEYS[7]})
local group = ARGV[1]
if ARGV[2] == '' then redis.call('HDEL', KEYS[6], 'weight:' .. group) else redis.call('HSET', KEYS[6], 'weight:' .. group, ARGV[2]) end
local room = 1000
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[6], 'cap:' .. group)
  fair:set(fair:run_name(group), nil)
else
  local running = count_running(KEYS[8], KEYS[9], {[group] = true})[group] or 0
  redis.call('HSET', KEYS[6], 'cap:' .. group, ARGV[3])
  fair:set(fair:run_name(group), running)
  room = math.min(room, tonumber(ARGV[3]) - running)
end
local back = fair:unpark(group, room)
fair:flush()
return back

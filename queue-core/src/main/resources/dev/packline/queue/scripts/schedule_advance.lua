-- schedule_advance.lua: move a schedule from the tick it just fired to its next one, only if the tick
-- is still the one recorded: of several schedulers that fired the same tick (its job id made the
-- enqueue happen once), one moves it on, and a schedule an admin changed meanwhile keeps the change.
-- KEYS[1] due   zset  schedule name -> next tick (ms)
-- ARGV[1] name
-- ARGV[2] the tick fired (ms)
-- ARGV[3] the next tick (ms)
-- Returns 1 when this call moved the schedule on, else 0
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1

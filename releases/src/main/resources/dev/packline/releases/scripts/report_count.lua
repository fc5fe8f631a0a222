-- report_count.lua: count one client report of a release, and the distinct clients per event.
-- KEYS[1] counts   hash         pl:{relrep:ID}:counts (event -> count, failed:REASON -> count)
-- KEYS[2] clients  HyperLogLog  pl:{relrep:ID}:clients:EVENT
-- ARGV[1] event (downloaded, installed, failed, rolled_back)
-- ARGV[2] client id ('' when the client sent none)
-- ARGV[3] failure reason ('' when none)
-- Returns {installed, failed}: the release's counts after this report, for the automatic pause
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if ARGV[3] ~= '' then redis.call('HINCRBY', KEYS[1], 'failed:' .. ARGV[3], 1) end
if ARGV[2] ~= '' then redis.call('PFADD', KEYS[2], ARGV[2]) end
local counts = redis.call('HMGET', KEYS[1], 'installed', 'failed')
return {tonumber(counts[1] or 0), tonumber(counts[2] or 0)}

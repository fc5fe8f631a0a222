-- audit_add.lua: keep one entry of the console's audit log, dropping the oldest beyond the cap.
-- KEYS[1] audit  list, newest first
-- ARGV[1] entry  JSON
-- ARGV[2] cap    entries kept
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
return 1

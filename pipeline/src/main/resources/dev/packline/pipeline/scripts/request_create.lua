-- request_create.lua: record a new packaging request, once (a second create of the same id does nothing).
-- KEYS[1] request   hash   pl:{req:ID}:request
-- ARGV[1] request JSON
-- ARGV[2] channel count
-- ARGV[3] now (ms)
-- Returns 1 when created, 0 when the request existed
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'spec', ARGV[1], 'state', 'queued', 'total', ARGV[2], 'ended', 0, 'failed', 0,
  'cancelled', 0, 'createdAt', ARGV[3])
return 1

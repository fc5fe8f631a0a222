-- request_index_add.lua: list a new request in the index of every request (RequestIndex), trimmed as it grows.
-- KEYS[1] index   zset   pl:requests   member ID|PUBLISHER|APP, score creation time (ms)
-- ARGV[1] member
-- ARGV[2] creation time (ms)
-- ARGV[3] retention (ms): entries older than this are dropped (their requests have expired)
-- ARGV[4] the most entries kept (the oldest go first)
-- Returns the number of entries after the add
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (tonumber(ARGV[2]) - tonumber(ARGV[3])))
local size = redis.call('ZCARD', KEYS[1])
local max = tonumber(ARGV[4])
if size > max then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, size - max - 1)
  size = max
end
return size

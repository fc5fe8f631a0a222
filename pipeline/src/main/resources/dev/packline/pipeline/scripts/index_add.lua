-- index_add.lua: remember a new request in its publisher's index (for GET /v1/jobs) and in its
-- in-flight set (for the channels-in-flight cap), keeping the index bounded by age and count.
-- Adding a request again (a retried submit completing the first) keeps its first entries (NX).
-- KEYS[1] requests  zset   pl:api:{pub:NAME}:requests   member "ID|APP" -> createdAt (ms)
-- KEYS[2] inflight  zset   pl:api:{pub:NAME}:inflight   request id -> channels not yet known ended
-- ARGV[1] member ("ID|APP")
-- ARGV[2] request id
-- ARGV[3] now (ms)
-- ARGV[4] channel count
-- ARGV[5] retention (ms): index entries older than this are dropped, and both keys expire this long after the last submit
-- ARGV[6] most index entries kept (newest win)
-- Returns the index size after trimming
local now, retention, max = tonumber(ARGV[3]), tonumber(ARGV[5]), tonumber(ARGV[6])
redis.call('ZADD', KEYS[1], 'NX', now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - retention))
local size = redis.call('ZCARD', KEYS[1])
if size > max then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, size - max - 1)
  size = max
end
redis.call('PEXPIRE', KEYS[1], retention)
redis.call('ZADD', KEYS[2], 'NX', tonumber(ARGV[4]), ARGV[2])
redis.call('PEXPIRE', KEYS[2], retention)
return size

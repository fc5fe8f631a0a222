-- registry_add.lua: list a version that now exists (its info hash was created first, in the
-- version's own slot) in its queue's registry, and make it current when the queue has none. One
-- call, so no reader sees the version listed but the queue without a current version it should have.
-- KEYS[1] registry   hash  pl:{name}:registry
-- ARGV[1] version number
-- ARGV[2] now (ms)
-- Returns the current version number afterwards
redis.call('HSET', KEYS[1], 'v:' .. ARGV[1], ARGV[2])
redis.call('HSETNX', KEYS[1], 'current', ARGV[1])
return redis.call('HGET', KEYS[1], 'current')

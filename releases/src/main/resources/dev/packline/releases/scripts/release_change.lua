-- release_change.lua: replace a release by its next revision (any action: start, pause, full,
-- rollback, rollout settings, labels), only if it is still the revision the caller read, so two
-- publishers (or a publisher and the automatic pause) never overwrite each other's change.
-- KEYS[1] releases      hash  (this app's)
-- KEYS[2] app-versions  hash
-- KEYS[3] version       string
-- KEYS[4] audit         list  (this app's)
-- ARGV[1] app id
-- ARGV[2] release id
-- ARGV[3] the release JSON the caller read
-- ARGV[4] the new release JSON
-- ARGV[5] audit entry JSON
-- ARGV[6] pub/sub channel
-- Returns {1, version} when changed, {0, 'missing'}, {0, 'conflict'}
--!include announce.lua
local current = redis.call('HGET', KEYS[1], ARGV[2])
if not current then return {0, 'missing'} end
if current ~= ARGV[3] then return {0, 'conflict'} end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
return {1, announce(KEYS[3], KEYS[2], KEYS[4], ARGV[1], ARGV[5], ARGV[6])}

-- release_create.lua: record a new release of an app (a draft), once.
-- KEYS[1] apps          hash
-- KEYS[2] releases      hash  (this app's) release id -> release JSON
-- KEYS[3] app-versions  hash
-- KEYS[4] version       string
-- KEYS[5] audit         list  (this app's)
-- ARGV[1] app id
-- ARGV[2] release id
-- ARGV[3] release JSON
-- ARGV[4] audit entry JSON
-- ARGV[5] pub/sub channel
-- Returns {1, version} when created, {0, 'no-app'}, {0, 'exists'}
--!include announce.lua
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return {0, 'no-app'} end
if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[3]) == 0 then return {0, 'exists'} end
return {1, announce(KEYS[4], KEYS[3], KEYS[5], ARGV[1], ARGV[4], ARGV[5])}

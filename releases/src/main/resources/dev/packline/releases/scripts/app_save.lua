-- app_save.lua: create an app or change it (a new deployment), if it is still what the caller read.
-- KEYS[1] apps             hash  app id -> app JSON
-- KEYS[2] deployment-keys  hash  deployment key -> APP/DEPLOYMENT
-- KEYS[3] app-versions     hash
-- KEYS[4] version          string
-- KEYS[5] audit            list  (this app's)
-- ARGV[1] app id
-- ARGV[2] the app JSON the caller read ('' when creating)
-- ARGV[3] the new app JSON
-- ARGV[4] audit entry JSON
-- ARGV[5] pub/sub channel
-- ARGV[6..] pairs of new deployment key, APP/DEPLOYMENT
-- Returns {1, version} when saved, {0, 'conflict'} when the app changed (or exists, on create), {0, 'key-taken'}
--!include announce.lua
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current or '') ~= ARGV[2] then return {0, 'conflict'} end
for i = 6, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 then return {0, 'key-taken'} end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
for i = 6, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return {1, announce(KEYS[4], KEYS[3], KEYS[5], ARGV[1], ARGV[4], ARGV[5])}

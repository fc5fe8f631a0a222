-- migrate_done.lua: forget jobs of the source version once the target version has them.
-- KEYS[1] migrating  list
-- KEYS[2] meta       hash
-- KEYS[3] payload    hash
-- KEYS[4] stats      hash
-- ARGV[1..] job ids
-- Returns the number forgotten
local count = 0
for i = 1, #ARGV do
  if redis.call('LREM', KEYS[1], 0, ARGV[i]) > 0 then
    redis.call('HDEL', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i])
    count = count + 1
  end
end
if count > 0 then redis.call('HINCRBY', KEYS[4], 'migrated', count) end
return count

-- route_remove.lua: remove one routing rule of a queue (or all of them) and bump the serial.
-- KEYS[1] routes     hash  pl:{name}:routes
-- ARGV[1] rule id, or '*' for every rule of the queue
-- Returns the number of rules removed
local removed = 0
if ARGV[1] == '*' then
  local fields = redis.call('HKEYS', KEYS[1])
  for _, field in ipairs(fields) do
    if string.sub(field, 1, 5) == 'rule:' then
      removed = removed + redis.call('HDEL', KEYS[1], field)
    end
  end
else
  removed = redis.call('HDEL', KEYS[1], 'rule:' .. ARGV[1])
end
if removed > 0 then redis.call('HINCRBY', KEYS[1], 'serial', 1) end
return removed

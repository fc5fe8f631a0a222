-- shadow_result.lua: record how one side (the real job or its shadow copy) of a shadow comparison
-- ended; whichever side ends second compares the two, counts the verdict, and keeps a mismatch or
-- failure with both results as an example. Results and examples expire a retention after the last write.
-- A compared pair leaves c:JOB (its verdict): a side recorded again afterwards (a redelivered job, a
-- shadow job whose lease was lost after it recorded) counts nothing and returns 'repeated', instead of
-- opening a new pair that would wait for ever or be counted twice.
-- KEYS[1] results    hash  pl:{name}:shadow:FROM:TO (counters matches, mismatches, failures, waiting; r:JOB, s:JOB; c:JOB)
-- KEYS[2] examples   list  pl:{name}:shadow-examples:FROM:TO
-- ARGV[1] real job id
-- ARGV[2] side: 'r' (real) or 's' (shadow)
-- ARGV[3] this side's comparable text ('failed', or the facts in key order)
-- ARGV[4] this side's result JSON
-- ARGV[5] retention (ms)
-- ARGV[6] most examples kept
-- ARGV[7] now (ms)
-- Returns the verdict: 'waiting', 'match', 'mismatch', 'failure' or 'repeated'
if redis.call('HEXISTS', KEYS[1], 'c:' .. ARGV[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 'repeated'
end
local other_side = ARGV[2] == 'r' and 's' or 'r'
local other = redis.call('HGET', KEYS[1], other_side .. ':' .. ARGV[1])
local verdict
if not other then
  if redis.call('HSETNX', KEYS[1], ARGV[2] .. ':' .. ARGV[1], ARGV[3] .. '\0' .. ARGV[4]) == 1 then
    redis.call('HINCRBY', KEYS[1], 'waiting', 1)
  end
  verdict = 'waiting'
else
  local cut = string.find(other, '\0', 1, true)
  local other_comparable = string.sub(other, 1, cut - 1)
  local other_json = string.sub(other, cut + 1)
  redis.call('HDEL', KEYS[1], other_side .. ':' .. ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'waiting', -1)
  if other_comparable == 'failed' or ARGV[3] == 'failed' then
    verdict = 'failure'
  elseif other_comparable == ARGV[3] then
    verdict = 'match'
  else
    verdict = 'mismatch'
  end
  redis.call('HSET', KEYS[1], 'c:' .. ARGV[1], verdict)
  redis.call('HINCRBY', KEYS[1], verdict == 'match' and 'matches' or (verdict == 'mismatch' and 'mismatches' or 'failures'), 1)
  if verdict ~= 'match' then
    local real_json = ARGV[2] == 'r' and ARGV[4] or other_json
    local shadow_json = ARGV[2] == 's' and ARGV[4] or other_json
    redis.call('LPUSH', KEYS[2], '{"job":' .. cjson.encode(ARGV[1]) .. ',"verdict":"' .. verdict .. '","at":' .. ARGV[7]
        .. ',"real":' .. real_json .. ',"shadow":' .. shadow_json .. '}')
    redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[6]) - 1)
    redis.call('PEXPIRE', KEYS[2], ARGV[5])
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return verdict

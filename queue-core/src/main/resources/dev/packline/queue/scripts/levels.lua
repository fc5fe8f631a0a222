-- levels.lua: ready jobs per priority level of one version, and since when the next job each level
-- hands out has been ready (read only; for the per-priority gauges). The normal level is the
-- pending list (without its wake markers, see counts.lua) plus its zset; parked jobs are counted
-- per group (groups hash), not here.
-- KEYS[1] pending, KEYS[2] urgent, KEYS[3] normal, KEYS[4] bulk, KEYS[5] meta
-- Returns {urgent ready, urgent next since (ms, -1 if none), normal ready, normal next since, bulk ready, bulk next since}
local function since(id)
  local raw = id and redis.call('HGET', KEYS[5], id)
  if not raw then return -1 end
  return cjson.decode(raw).availableAt
end
local function earliest(a, b)
  if a < 0 then return b end
  if b < 0 then return a end
  return math.min(a, b)
end
local markers = #redis.call('LPOS', KEYS[1], ' ', 'RANK', -1, 'COUNT', 0, 'MAXLEN', 1000)
local out = {}
for level, zset in ipairs({KEYS[2], KEYS[3], KEYS[4]}) do
  local ready = redis.call('ZCARD', zset)
  local next_since = since(redis.call('ZRANGE', zset, 0, 0)[1])
  if level == 2 then
    ready = ready + redis.call('LLEN', KEYS[1]) - markers
    next_since = earliest(next_since, since(redis.call('LINDEX', KEYS[1], -1 - markers)))
  end
  out[#out + 1] = ready
  out[#out + 1] = next_since
end
return out

-- announce.lua (included): what every change of the catalogue does after its write, in the same
-- script: bump the catalogue version, record it as the app's last change, keep the audit entry for
-- good, and publish "VERSION APP" so each update API instance reloads that app.
local function announce(versionKey, appVersionsKey, auditKey, app, auditJson, channel)
  local version = redis.call('INCR', versionKey)
  redis.call('HSET', appVersionsKey, app, version)
  redis.call('LPUSH', auditKey, auditJson)
  redis.call('PUBLISH', channel, version .. ' ' .. app)
  return version
end

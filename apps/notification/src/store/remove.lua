-- Retention: removes one batch of an organization's notifications created before a cutoff.
-- ARGV prefix, org, mode ('older'), cutoff in ms, batch size. Marks and deletions are applied
-- from the NOTIFICATIONS stream (apply-log.lua). Returns how many ids it went through.
local p, org = ARGV[1], ARGV[2]
local o = p .. 'org:' .. org
local ids = redis.call('ZRANGEBYSCORE', o .. ':time', '-inf', ARGV[4], 'LIMIT', 0, tonumber(ARGV[5]))
local function uncount(hash, field)
  if redis.call('HINCRBY', hash, field, -1) <= 0 then redis.call('HDEL', hash, field) end
end
for _, id in ipairs(ids) do
  local key = p .. 'n:' .. id
  local f = redis.call('HMGET', key, 'org', 'status', 'severity', 'category', 'action', 'indexed', 'acted_upon')
  if f[1] == org then
    redis.call('DEL', key)
    for facet, value in pairs({ status = f[2], severity = f[3], category = f[4], action = f[5], acted_upon = f[7] }) do
      if value then redis.call('ZREM', o .. ':by:' .. facet .. ':' .. value, id) end
    end
    if f[2] == 'unread' then redis.call('HINCRBY', o .. ':unread', f[3], -1) end
    if f[6] then
      uncount(o .. ':categories', f[4])
      uncount(o .. ':actions', f[5])
    end
  end
  -- Index entries go even without their document (a retention batch must always progress).
  redis.call('ZREM', o .. ':all', id)
  redis.call('ZREM', o .. ':time', id)
end
-- The ids it went through, so its caller knows whether a batch was full.
return #ids

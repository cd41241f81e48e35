-- Removes notifications of one organization: ARGV prefix, org, mode, then either the ids
-- (mode 'ids') or a cutoff in ms and a batch size (mode 'older': retention).
-- Ids of another organization are left alone. Returns how many were removed.
local p, org, mode = ARGV[1], ARGV[2], ARGV[3]
local o = p .. 'org:' .. org
local ids
if mode == 'older' then
  ids = redis.call('ZRANGEBYSCORE', o .. ':time', '-inf', ARGV[4], 'LIMIT', 0, tonumber(ARGV[5]))
else
  ids = {}
  for i = 4, #ARGV do ids[#ids + 1] = ARGV[i] end
end
local function uncount(hash, field)
  if redis.call('HINCRBY', hash, field, -1) <= 0 then redis.call('HDEL', hash, field) end
end
local removed = 0
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
    removed = removed + 1
  end
  -- Index entries go even without their document (a retention batch must always progress).
  if f[1] == org or mode == 'older' then
    redis.call('ZREM', o .. ':all', id)
    redis.call('ZREM', o .. ':time', id)
  end
end
-- Retention counts the ids it went through, so its caller knows whether a batch was full.
return mode == 'older' and #ids or removed

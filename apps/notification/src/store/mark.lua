-- Marks notifications of one organization read or unread: ARGV prefix, org, status, ids...
-- Returns how many of the ids are the organization's (whether or not they changed).
local p, org, to = ARGV[1], ARGV[2], ARGV[3]
local found = 0
for i = 4, #ARGV do
  local key = p .. 'n:' .. ARGV[i]
  local f = redis.call('HMGET', key, 'org', 'status', 'severity', 'seq')
  if f[1] == org then
    found = found + 1
    if f[2] ~= to then
      local by = p .. 'org:' .. org .. ':by:status:'
      redis.call('HSET', key, 'status', to)
      redis.call('HINCRBY', p .. 'org:' .. org .. ':unread', f[3], to == 'unread' and 1 or -1)
      redis.call('ZREM', by .. f[2], ARGV[i])
      redis.call('ZADD', by .. to, f[4], ARGV[i])
    end
  end
end
return found

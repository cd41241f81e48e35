-- Indexes and counts one batch of an organization's notifications stored before the filter
-- indexes and type counts existed (no 'indexed' field): ARGV prefix, org, after (a seq), batch.
-- Returns the last seq it went through, or 0 when the organization has no more.
local p, org = ARGV[1], ARGV[2]
local o = p .. 'org:' .. org
local rows = redis.call('ZRANGEBYSCORE', o .. ':all', '(' .. ARGV[3], '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[4]))
for i = 1, #rows, 2 do
  local id, seq = rows[i], rows[i + 1]
  local key = p .. 'n:' .. id
  local f = redis.call('HMGET', key, 'org', 'indexed', 'severity', 'category', 'action', 'acted_upon', 'status')
  if f[1] == org and not f[2] then
    for facet, value in pairs({ severity = f[3], category = f[4], action = f[5], acted_upon = f[6], status = f[7] }) do
      if value then redis.call('ZADD', o .. ':by:' .. facet .. ':' .. value, seq, id) end
    end
    if f[4] then redis.call('HINCRBY', o .. ':categories', f[4], 1) end
    if f[5] then redis.call('HINCRBY', o .. ':actions', f[5], 1) end
    redis.call('HSET', key, 'indexed', '1')
  end
end
return #rows > 0 and tonumber(rows[#rows]) or 0

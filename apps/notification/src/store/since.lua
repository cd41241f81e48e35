-- The organization's notifications after a seq, oldest first: ARGV prefix, org, after, limit.
-- Returns { head, seq, doc, status, seq, doc, status, … }; head is the last seq given out.
local p, org = ARGV[1], ARGV[2]
local o = p .. 'org:' .. org
local out = { tonumber(redis.call('GET', o .. ':seq') or '0') }
local limit = tonumber(ARGV[4])
if limit > 0 then
  local rows = redis.call('ZRANGEBYSCORE', o .. ':all', '(' .. ARGV[3], '+inf', 'WITHSCORES', 'LIMIT', 0, limit)
  for i = 1, #rows, 2 do
    local d = redis.call('HMGET', p .. 'n:' .. rows[i], 'doc', 'status')
    if d[1] then
      out[#out + 1] = tonumber(rows[i + 1])
      out[#out + 1] = d[1]
      out[#out + 1] = d[2]
    end
  end
end
return out

-- One page of an organization's notifications: ARGV prefix, org, page, pagesize, status, search
-- (lower case), then severities, categories, actions, acted_upon ids as JSON arrays ('' or
-- empty: any), then the index to order by ('all': the feed's seq, 'time': created_at) and the
-- order ('asc' or 'desc'). Returns { total, unread counts (HGETALL), doc, status, doc, status, … }.
local p, org = ARGV[1], ARGV[2]
local size = tonumber(ARGV[4])
local first = tonumber(ARGV[3]) * size
local status, search = ARGV[5], ARGV[6]
local function set(json)
  if json == '' then return nil end
  local s, any = {}, false
  for _, v in ipairs(cjson.decode(json)) do s[v] = true; any = true end
  return any and s or nil
end
local sev, cat, act, acted = set(ARGV[7]), set(ARGV[8]), set(ARGV[9]), set(ARGV[10])
local o = p .. 'org:' .. org
local index = o .. ':' .. ARGV[11]
local range = ARGV[12] == 'asc' and 'ZRANGE' or 'ZREVRANGE'
local total, page = 0, {}
if not sev and not cat and not act and not acted and status == '' and search == '' then
  total = redis.call('ZCARD', index)
  page = redis.call(range, index, first, first + size - 1)
else
  -- Filters scan the organization's notifications: retention bounds how many there are.
  for _, id in ipairs(redis.call(range, index, 0, -1)) do
    local f = redis.call('HMGET', p .. 'n:' .. id, 'severity', 'category', 'action', 'acted_upon', 'status', 'text')
    if f[1] and (not sev or sev[f[1]]) and (not cat or cat[f[2]]) and (not act or act[f[3]])
      and (not acted or acted[f[4]]) and (status == '' or status == f[5])
      and (search == '' or string.find(f[6], search, 1, true)) then
      if total >= first and total < first + size then page[#page + 1] = id end
      total = total + 1
    end
  end
end
local out = { total, redis.call('HGETALL', o .. ':unread') }
for _, id in ipairs(page) do
  local d = redis.call('HMGET', p .. 'n:' .. id, 'doc', 'status')
  if d[1] then
    out[#out + 1] = d[1]
    out[#out + 1] = d[2]
  end
end
return out

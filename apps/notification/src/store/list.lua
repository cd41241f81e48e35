-- One page of an organization's notifications, newest first: ARGV prefix, org, page, pagesize,
-- status, acted_upon, search (lower case), then severities, categories, actions as JSON arrays
-- ('' or empty: any). Returns { total, unread counts (HGETALL), doc, status, doc, status, … }.
local p, org = ARGV[1], ARGV[2]
local size = tonumber(ARGV[4])
local first = tonumber(ARGV[3]) * size
local status, acted, search = ARGV[5], ARGV[6], ARGV[7]
local function set(json)
  if json == '' then return nil end
  local s, any = {}, false
  for _, v in ipairs(cjson.decode(json)) do s[v] = true; any = true end
  return any and s or nil
end
local sev, cat, act = set(ARGV[8]), set(ARGV[9]), set(ARGV[10])
local o = p .. 'org:' .. org
local total, page = 0, {}
if not sev and not cat and not act and status == '' and acted == '' and search == '' then
  total = redis.call('ZCARD', o .. ':all')
  page = redis.call('ZREVRANGE', o .. ':all', first, first + size - 1)
else
  -- Filters scan the organization's notifications: retention bounds how many there are.
  for _, id in ipairs(redis.call('ZREVRANGE', o .. ':all', 0, -1)) do
    local f = redis.call('HMGET', p .. 'n:' .. id, 'severity', 'category', 'action', 'acted_upon', 'status', 'text')
    if f[1] and (not sev or sev[f[1]]) and (not cat or cat[f[2]]) and (not act or act[f[3]])
      and (acted == '' or acted == f[4]) and (status == '' or status == f[5])
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

-- One page of an organization's notifications: ARGV prefix, org, page, pagesize, status, search
-- (lower case), then severities, categories, actions, acted_upon ids as JSON arrays ('' or
-- empty: any), then the index to order by ('all': the feed's seq, 'time': created_at) and the
-- order ('asc' or 'desc'). Returns { total, unread counts (HGETALL), doc, status, doc, status, … }.
local p, org = ARGV[1], ARGV[2]
local size = tonumber(ARGV[4])
local first = tonumber(ARGV[3]) * size
local status, search = ARGV[5], ARGV[6]
local o = p .. 'org:' .. org
local index = o .. ':' .. ARGV[11]
local range = ARGV[12] == 'asc' and 'ZRANGE' or 'ZREVRANGE'
-- The filters: each is the set of its values' indexes (`by:<facet>:<value>`, by seq); several
-- values are their union. Every key this script writes is under `tmp:`, deleted before it returns.
local keys, temporary = { index }, {}
local function scratch()
  local key = p .. 'tmp:list:' .. (#temporary + 1)
  temporary[#temporary + 1] = key
  return key
end
local function filter(facet, json)
  if json == '' then return end
  local values = cjson.decode(json)
  if #values == 0 then return end
  local sets = {}
  for _, v in ipairs(values) do sets[#sets + 1] = o .. ':by:' .. facet .. ':' .. v end
  if #sets == 1 then
    keys[#keys + 1] = sets[1]
  else
    local union = scratch()
    redis.call('ZUNIONSTORE', union, #sets, unpack(sets))
    keys[#keys + 1] = union
  end
end
filter('severity', ARGV[7])
filter('category', ARGV[8])
filter('action', ARGV[9])
filter('acted_upon', ARGV[10])
if status ~= '' then keys[#keys + 1] = o .. ':by:status:' .. status end
-- The matches, in the order asked: the order index intersected with the filters (weight 0, so
-- the score stays the index's). ZINTERSTORE walks the smallest set: the cost is the matches'.
local matches = index
if #keys > 1 then
  matches = scratch()
  local args = { matches, #keys }
  for _, key in ipairs(keys) do args[#args + 1] = key end
  args[#args + 1] = 'WEIGHTS'
  for i = 1, #keys do args[#args + 1] = i == 1 and 1 or 0 end
  redis.call('ZINTERSTORE', unpack(args))
end
local total, page = 0, {}
if search == '' then
  total = redis.call('ZCARD', matches)
  page = redis.call(range, matches, first, first + size - 1)
else
  -- Text has no index: the search scans the matches of the other filters.
  for _, id in ipairs(redis.call(range, matches, 0, -1)) do
    local text = redis.call('HGET', p .. 'n:' .. id, 'text')
    if text and string.find(text, search, 1, true) then
      if total >= first and total < first + size then page[#page + 1] = id end
      total = total + 1
    end
  end
end
if #temporary > 0 then redis.call('DEL', unpack(temporary)) end
local out = { total, redis.call('HGETALL', o .. ':unread') }
for _, id in ipairs(page) do
  local d = redis.call('HMGET', p .. 'n:' .. id, 'doc', 'status')
  if d[1] then
    out[#out + 1] = d[1]
    out[#out + 1] = d[2]
  end
end
return out

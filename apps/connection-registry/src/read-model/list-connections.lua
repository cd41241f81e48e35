-- One page of an organization's connections with the filters of DESIGN 10, and the status summary.
-- ARGV[1] = namespace, ARGV[2] = the version active while no pointer is set, ARGV[3] = organization,
-- ARGV[4] = query JSON: { status = [], kind = [], type = [], order = 'updated'|'created'|'name',
--   direction = 'asc'|'desc', offset, limit, search, name, token } (search and name lower-case;
--   token names temporary keys).
-- The active version is resolved here, in the same atomic step as the read: no extra round trip,
-- and a page never mixes two versions.
local P = ARGV[1] .. (redis.call('GET', ARGV[1] .. 'active') or ARGV[2]) .. ':'
local org = ARGV[3]
local q = cjson.decode(ARGV[4])
local function idx(name) return P .. 'org:' .. org .. ':' .. name end
local temporary = {}

-- The union of one filter's values (status in ["connected","registered"]), or nil without a filter.
local function anyOf(field, values)
  if type(values) ~= 'table' or #values == 0 then return nil end
  if #values == 1 then return idx(field .. ':' .. values[1]) end
  local dest = P .. 'tmp:' .. q.token .. ':' .. field
  local keys = {}
  for i, value in ipairs(values) do keys[i] = idx(field .. ':' .. value) end
  redis.call('ZUNIONSTORE', dest, #keys, unpack(keys))
  temporary[#temporary + 1] = dest
  return dest
end

-- Candidates scored by the sort key: the sort index intersected with every filter (weight 0).
local base = idx(q.order == 'created' and 'created' or 'updated')
local filters = {}
for _, field in ipairs({ 'status', 'kind', 'type' }) do
  local key = anyOf(field, q[field])
  if key then filters[#filters + 1] = key end
end
local set = base
if #filters > 0 then
  set = P .. 'tmp:' .. q.token .. ':candidates'
  -- unpack() expands only as the last argument: build the whole argument list.
  local args = { 'ZINTERSTORE', set, #filters + 1, base }
  for _, key in ipairs(filters) do args[#args + 1] = key end
  args[#args + 1] = 'WEIGHTS'
  args[#args + 1] = 1
  for _ = 1, #filters do args[#args + 1] = 0 end
  redis.call(unpack(args))
  temporary[#temporary + 1] = set
end

local descending = q.direction ~= 'asc'
local total, ids = 0, {}
local narrowed = (q.search ~= nil and q.search ~= '') or (q.name ~= nil and q.name ~= '')
if not narrowed and q.order ~= 'name' then
  -- The index answers: no scan.
  total = redis.call('ZCARD', set)
  local last = q.offset + q.limit - 1
  if descending then ids = redis.call('ZREVRANGE', set, q.offset, last) else ids = redis.call('ZRANGE', set, q.offset, last) end
else
  local all = descending and redis.call('ZREVRANGE', set, 0, -1) or redis.call('ZRANGE', set, 0, -1)
  local kept, names = {}, {}
  for _, id in ipairs(all) do
    local name = redis.call('HGET', idx('names'), id) or ''
    local ok = true
    if q.name and q.name ~= '' then ok = string.find(name, q.name, 1, true) ~= nil end
    if ok and q.search and q.search ~= '' then
      ok = string.find(redis.call('HGET', idx('search'), id) or '', q.search, 1, true) ~= nil
    end
    if ok then
      kept[#kept + 1] = id
      names[id] = name
    end
  end
  if q.order == 'name' then
    table.sort(kept, function(a, b)
      if names[a] == names[b] then return a < b end
      if descending then return names[a] > names[b] end
      return names[a] < names[b]
    end)
  end
  total = #kept
  for i = q.offset + 1, math.min(q.offset + q.limit, total) do ids[#ids + 1] = kept[i] end
end

local docs = {}
if #ids > 0 then
  local keys = {}
  for i, id in ipairs(ids) do keys[i] = P .. 'conn:' .. id end
  docs = redis.call('MGET', unpack(keys))
end
for _, key in ipairs(temporary) do redis.call('DEL', key) end
return { total, docs, redis.call('HGETALL', idx('summary')) }

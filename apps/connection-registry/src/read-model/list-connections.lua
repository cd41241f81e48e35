-- One page of an organization's connections with the filters of design.md §10, and the status summary.
-- ARGV[1] = namespace, ARGV[2] = the version active while no pointer is set, ARGV[3] = organization,
-- ARGV[4] = query JSON: { status = [], kind = [], tags = [], none, order = 'updated'|'created'|'name',
--   direction = 'asc'|'desc', offset, limit, search, name } (search and name lower-case; a type
--   filter arrives as the kinds of that type; `none` when the filters exclude every kind).
-- The active version is resolved here, in the same atomic step as the read: no extra round trip,
-- and a page never mixes two versions.
local P = ARGV[1] .. (redis.call('GET', ARGV[1] .. 'active') or ARGV[2]) .. ':'
local org = ARGV[3]
local q = cjson.decode(ARGV[4])
local function idx(name) return P .. 'org:' .. org .. ':' .. name end

-- The sorted sets holding the candidates, scored by the sort key: one per (status, kind) pair when
-- both are filtered, one per value when one is, the organization's own set when none is.
local order = q.order == 'created' and 'created' or 'updated'
local statuses = type(q.status) == 'table' and q.status or {}
local kinds = type(q.kind) == 'table' and q.kind or {}
local tags = type(q.tags) == 'table' and q.tags or {}
local sets = {}
if #statuses > 0 and #kinds > 0 then
  for _, s in ipairs(statuses) do
    for _, k in ipairs(kinds) do sets[#sets + 1] = idx(order .. ':sk:' .. s .. ':' .. k) end
  end
elseif #statuses > 0 then
  for _, s in ipairs(statuses) do sets[#sets + 1] = idx(order .. ':status:' .. s) end
elseif #kinds > 0 then
  for _, k in ipairs(kinds) do sets[#sets + 1] = idx(order .. ':kind:' .. k) end
elseif #tags > 0 and not q.none then
  for _, t in ipairs(tags) do sets[#sets + 1] = idx(order .. ':tag:' .. t) end
elseif not q.none then
  sets[1] = idx(order)
end
-- Tags with a status or kind filter are checked per candidate of those sets; several tags'
-- sets overlap (a connection has several tags), so their merge is deduplicated.
local tagsChecked = #tags > 0 and (#statuses > 0 or #kinds > 0)

local descending = q.direction ~= 'asc'
local function before(a, b)
  if a.score ~= b.score then
    if descending then return a.score > b.score end
    return a.score < b.score
  end
  if descending then return a.id > b.id end
  return a.id < b.id
end

-- The first `count` members of every set (all when count is -1), merged in sort order.
local function merged(count)
  local all = {}
  for _, key in ipairs(sets) do
    local last = count < 0 and -1 or count - 1
    local page = descending and redis.call('ZREVRANGE', key, 0, last, 'WITHSCORES') or redis.call('ZRANGE', key, 0, last, 'WITHSCORES')
    for i = 1, #page, 2 do all[#all + 1] = { id = page[i], score = tonumber(page[i + 1]) } end
  end
  if #sets > 1 then table.sort(all, before) end
  return all
end

local total, ids = 0, {}
local narrowed = (q.search ~= nil and q.search ~= '') or (q.name ~= nil and q.name ~= '') or tagsChecked or #tags > 1
if not narrowed and q.order ~= 'name' then
  -- The indexes answer: counts are O(1), a page reads at most offset + limit members per set.
  for _, key in ipairs(sets) do total = total + redis.call('ZCARD', key) end
  if #sets == 1 then
    local last = q.offset + q.limit - 1
    ids = descending and redis.call('ZREVRANGE', sets[1], q.offset, last) or redis.call('ZRANGE', sets[1], q.offset, last)
  elseif total > q.offset then
    local candidates = merged(q.offset + q.limit)
    for i = q.offset + 1, math.min(q.offset + q.limit, #candidates) do ids[#ids + 1] = candidates[i].id end
  end
else
  -- A substring, a name order or tags with other filters have no index: the candidates are read
  -- and filtered here.
  local kept, names, seen = {}, {}, {}
  local function tagged(id)
    for _, t in ipairs(tags) do
      if redis.call('ZSCORE', idx(order .. ':tag:' .. t), id) then return true end
    end
    return false
  end
  for _, candidate in ipairs(merged(-1)) do
    local id = candidate.id
    local name = redis.call('HGET', idx('names'), id) or ''
    local ok = not seen[id] and (not tagsChecked or tagged(id))
    seen[id] = true
    if ok and q.name and q.name ~= '' then ok = string.find(name, q.name, 1, true) ~= nil end
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

-- Each document with the environments of its connection (environment-memberships.ts) added last.
local docs = {}
if #ids > 0 then
  local keys, views = {}, {}
  for i, id in ipairs(ids) do
    keys[i] = P .. 'conn:' .. id
    views[i] = ARGV[1] .. 'environments:view:' .. id
  end
  docs = redis.call('MGET', unpack(keys))
  local environments = redis.call('MGET', unpack(views))
  for i, doc in ipairs(docs) do
    if doc then docs[i] = string.sub(doc, 1, -2) .. ',"environments":' .. (environments[i] or '[]') .. '}' end
  end
end
return { total, docs, redis.call('HGETALL', idx('summary')) }

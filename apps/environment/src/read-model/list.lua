-- One page of environments, workspaces or connections of an organization (design.md §10 lists).
-- ARGV[1] = namespace, ARGV[2] = the version active while no pointer is set, ARGV[3] = query JSON:
--   { org, scope = 'envs'|'ws'|'conns', doc = 'env:'|'ws:'|'conn:',
--     owner = { key, org } (the environment or workspace the list belongs to: absent or in another
--       organization answers { -1 }),
--     sets = [keys] (candidates: the union of these sets; absent: every document of the scope),
--     nested = { key, prefix, suffix } (more sets: prefix .. member .. suffix for each member of key,
--       e.g. the connections of each environment of a workspace),
--     exclude = key (a set whose members are left out), order = 'updated'|'created'|'name',
--     direction = 'asc'|'desc', offset, limit, search (lower-case), tags = [any of them] }
-- Returns { total, docs } with each document assembled as JSON text.
local P = ARGV[1] .. (redis.call('GET', ARGV[1] .. 'active') or ARGV[2]) .. ':'
local q = cjson.decode(ARGV[3])
local function idx(name) return P .. 'org:' .. q.org .. ':' .. q.scope .. ':' .. name end

if type(q.owner) == 'table' then
  local org = redis.call('HGET', P .. q.owner.key, 'organization_id')
  if not org or cjson.decode(org) ~= q.owner.org then return { -1 } end
end

local scored = idx(q.order == 'created' and 'created' or 'updated')
local descending = q.direction ~= 'asc'
local search = type(q.search) == 'string' and q.search ~= '' and q.search or nil
local exclude = type(q.exclude) == 'string' and (P .. q.exclude) or nil
local tags = {}
if type(q.tags) == 'table' then for _, tag in ipairs(q.tags) do tags[tag] = true end end
local tagged = next(tags) ~= nil

-- Whether the document carries one of the tags asked for (its tags are stored as JSON text).
local function hasTag(id)
  local stored = redis.call('HGET', P .. q.doc .. id, 'tags')
  if not stored then return false end
  for _, tag in ipairs(cjson.decode(stored)) do
    if tags[tag] then return true end
  end
  return false
end

local total, ids = 0, {}
local candidates = {}
if type(q.sets) == 'table' then
  local keys = {}
  for i, key in ipairs(q.sets) do keys[i] = P .. key end
  if type(q.nested) == 'table' then
    for _, member in ipairs(redis.call('SMEMBERS', P .. q.nested.key)) do keys[#keys + 1] = P .. q.nested.prefix .. member .. q.nested.suffix end
  end
  local members = #keys == 0 and {} or redis.call('SUNION', unpack(keys))
  for _, id in ipairs(members) do
    -- A member without a document (a deleted connection not yet removed) is not listed.
    local score = redis.call('ZSCORE', scored, id)
    if score then candidates[#candidates + 1] = { id = id, score = tonumber(score) } end
  end
elseif not search and not exclude and not tagged and q.order ~= 'name' then
  -- The index answers alone: the count is O(1), a page reads only its members.
  local last = q.offset + q.limit - 1
  ids = descending and redis.call('ZREVRANGE', scored, q.offset, last) or redis.call('ZRANGE', scored, q.offset, last)
  total = redis.call('ZCARD', scored)
  candidates = nil
else
  local all = redis.call('ZRANGE', scored, 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do candidates[#candidates + 1] = { id = all[i], score = tonumber(all[i + 1]) } end
end

if candidates then
  local kept = {}
  for _, c in ipairs(candidates) do
    local ok = (not exclude or redis.call('SISMEMBER', exclude, c.id) == 0) and (not tagged or hasTag(c.id))
    local name = redis.call('HGET', idx('names'), c.id) or ''
    if ok and search then
      ok = string.find(name, search, 1, true) ~= nil or string.find(redis.call('HGET', idx('texts'), c.id) or '', search, 1, true) ~= nil
    end
    if ok then
      c.name = name
      kept[#kept + 1] = c
    end
  end
  table.sort(kept, function(a, b)
    local x, y = a.score, b.score
    if q.order == 'name' then x, y = a.name, b.name end
    if x == y then x, y = a.id, b.id end
    if descending then return x > y end
    return x < y
  end)
  total = #kept
  for i = q.offset + 1, math.min(q.offset + q.limit, #kept) do ids[#ids + 1] = kept[i].id end
end

-- A connection's environments as the registry shows them: [{id, name}] by name, then id.
local function environmentsOf(id)
  local envs = {}
  for _, env in ipairs(redis.call('SMEMBERS', P .. 'conn_envs:' .. id)) do
    local name = redis.call('HGET', P .. 'env:' .. env, 'name')
    if name then envs[#envs + 1] = { id = env, name = cjson.decode(name), json = name } end
  end
  table.sort(envs, function(a, b)
    if a.name == b.name then return a.id < b.id end
    return a.name < b.name
  end)
  local parts = {}
  for i, env in ipairs(envs) do parts[i] = '{"id":' .. cjson.encode(env.id) .. ',"name":' .. env.json .. '}' end
  return '[' .. table.concat(parts, ',') .. ']'
end

-- Each document as the API shows it: its fields are stored as JSON text.
local docs = {}
for _, id in ipairs(ids) do
  local flat = redis.call('HGETALL', P .. q.doc .. id)
  local parts = {}
  for i = 1, #flat, 2 do
    if string.sub(flat[i], 1, 1) ~= '_' then parts[#parts + 1] = cjson.encode(flat[i]) .. ':' .. flat[i + 1] end
  end
  if q.doc == 'conn:' and #parts > 0 then parts[#parts + 1] = '"environments":' .. environmentsOf(id) end
  if #parts > 0 then docs[#docs + 1] = '{' .. table.concat(parts, ',') .. '}' end
end
return { total, docs }

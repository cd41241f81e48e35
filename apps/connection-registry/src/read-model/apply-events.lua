-- Applies a batch of connection events and the checkpoint atomically (design.md §5): an event at or
-- before the stored checkpoint was applied already and is skipped, so a redelivery changes nothing.
-- ARGV[1] = namespace ("registry:"), ARGV[2] = the version active while no pointer is set,
-- ARGV[3] = the version to write ("v1": keys under "registry:v1:"), ARGV[4] = 'live' | 'rebuild',
-- ARGV[5] = the checkpoint the caller last applied or read ('' when it had none),
-- ARGV[6..] = per event, its position, type, stream and itself as JSON: { type, data, occurred_at, at_ms, user_id }.
-- Returns { events passed, then position, type, stream, error of each event it could not apply },
-- or -1 when the version's role is not what the caller thinks, or -2 when the checkpoint is gone
-- although the caller had one (Redis was emptied): nothing is applied on what is left, and the
-- caller rebuilds the read model from the start.
-- An event that cannot be applied (JSON too deep for cjson, a lone surrogate's escape, a field of
-- the wrong type) is a dead letter, kept under <version>:dead-letters by position, and skipped:
-- the checkpoint moves past it. Each event's apply reads, checks and encodes everything before
-- its first write, so a failed event leaves its document as it was.
local namespace, version = ARGV[1], ARGV[3]
local active = redis.call('GET', namespace .. 'active') or ARGV[2]
-- The live projection writes only the active version, a rebuild only another one: once a switch
-- (switch-version.lua) has moved the pointer, the old version receives nothing more.
if (ARGV[4] == 'live') ~= (version == active) then return -1 end
local P = namespace .. version .. ':'
local checkpointKey = P .. 'checkpoint'
local current = redis.call('GET', checkpointKey) or ''
if current == '' and ARGV[5] ~= '' then return -2 end

local function docKey(id) return P .. 'conn:' .. id end
local function idx(org, name) return P .. 'org:' .. org .. ':' .. name end

local function searchText(doc)
  local parts = {}
  for _, value in ipairs({ doc.name, doc.kind, doc.type, doc.sub_type }) do
    if type(value) == 'string' then parts[#parts + 1] = value end
  end
  for _, tag in ipairs(doc.tags or {}) do parts[#parts + 1] = tag end
  if type(doc.metadata) == 'table' then
    for _, field in ipairs({ 'url', 'server', 'server_location' }) do
      local value = doc.metadata[field]
      if type(value) == 'string' then parts[#parts + 1] = value end
    end
  end
  return string.lower(table.concat(parts, ' '))
end

-- Every index of a document, in one place: added and removed together. Each sort order has one
-- sorted set per organization, per status, per kind and per (status, kind), so that a list with
-- status and kind filters reads one set, or merges a few, and never intersects large ones (a
-- kind has one type: a type filter is a set of kinds).
local function index(doc, add)
  local org, id = doc.organization_id, doc.id
  for _, sorted in ipairs({ { 'updated', doc.updated_ms }, { 'created', doc.created_ms } }) do
    local order, score = sorted[1], sorted[2]
    local names = { order, order .. ':status:' .. doc.status, order .. ':kind:' .. doc.kind, order .. ':sk:' .. doc.status .. ':' .. doc.kind }
    for _, tag in ipairs(doc.tags or {}) do names[#names + 1] = order .. ':tag:' .. tag end
    for _, name in ipairs(names) do
      if add then redis.call('ZADD', idx(org, name), score, id) else redis.call('ZREM', idx(org, name), id) end
    end
  end
  -- The connections using a credential: a delete of the credential asks (credentials.controller.ts).
  if type(doc.credential_id) == 'string' then
    local users = idx(org, 'credential-users:' .. doc.credential_id)
    if add then redis.call('SADD', users, id) else redis.call('SREM', users, id) end
  end
  if add then
    redis.call('HSET', idx(org, 'names'), id, string.lower(doc.name))
    redis.call('HSET', idx(org, 'search'), id, searchText(doc))
    redis.call('HINCRBY', idx(org, 'summary'), doc.status, 1)
  else
    redis.call('HDEL', idx(org, 'names'), id)
    redis.call('HDEL', idx(org, 'search'), id)
    redis.call('HINCRBY', idx(org, 'summary'), doc.status, -1)
  end
end

-- Documents are stored as the API shows them, so queries pass them on without decoding; the sort
-- keys (created_ms, updated_ms) live only in the indexes, as scores.
local function load(id)
  local raw = redis.call('GET', docKey(id))
  if not raw then return nil end
  local doc = cjson.decode(raw)
  doc.created_ms = tonumber(redis.call('ZSCORE', idx(doc.organization_id, 'created'), id))
  doc.updated_ms = tonumber(redis.call('ZSCORE', idx(doc.organization_id, 'updated'), id))
  return doc
end

local function check(doc, field, kind)
  if type(doc[field]) ~= kind then error(field .. ' is not a ' .. kind, 0) end
end

-- A document as stored, or an error before anything is written: the fields its keys and indexes
-- are made of are checked, and cjson (which refuses tables nested past 1000) encodes it here.
-- Redis's cjson writes an empty table as {}: the list of tags is written here, last. (A
-- connection's environments are not in the document: the queries add them, see
-- apply-environment-events.lua.)
local function encode(doc)
  for _, field in ipairs({ 'id', 'organization_id', 'kind', 'name', 'status' }) do check(doc, field, 'string') end
  check(doc, 'created_ms', 'number')
  check(doc, 'updated_ms', 'number')
  local tags = doc.tags or {}
  if type(tags) ~= 'table' then error('tags is not a list', 0) end
  for _, tag in ipairs(tags) do
    if type(tag) ~= 'string' then error('tags holds a value that is not a string', 0) end
  end
  local created_ms, updated_ms = doc.created_ms, doc.updated_ms
  doc.created_ms, doc.updated_ms, doc.tags = nil, nil, nil
  local ok, json = pcall(cjson.encode, doc)
  doc.created_ms, doc.updated_ms, doc.tags = created_ms, updated_ms, tags
  if not ok then error(json, 0) end
  return string.sub(json, 1, -2) .. ',"tags":' .. (#tags == 0 and '[]' or cjson.encode(tags)) .. '}'
end

local function store(doc, json)
  redis.call('SET', docKey(doc.id), json)
  index(doc, true)
end

local function copy(doc)
  local new = {}
  for field, value in pairs(doc) do new[field] = value end
  return new
end

local function touch(doc, event)
  doc.updated_at = event.occurred_at
  doc.updated_ms = event.at_ms
end

local function apply(event)
  local data = event.data
  if event.type == 'ConnectionDiscovered' or event.type == 'ConnectionRegistered' then
    local old = load(data.connection_id)
    local doc = {
      id = data.connection_id, organization_id = data.organization_id, kind = data.kind,
      type = data.type, sub_type = data.sub_type, name = data.name, fingerprint = data.fingerprint,
      metadata = data.metadata, credential_id = data.credential_id, tags = data.tags or {},
      status = data.status or 'discovered', user_id = event.user_id or cjson.null,
      created_at = event.occurred_at, created_ms = event.at_ms, deleted_at = cjson.null,
    }
    touch(doc, event)
    local json = encode(doc)
    if old then index(old, false) end
    store(doc, json)
  elseif event.type == 'StatusChanged' then
    local old = load(data.connection_id)
    if not old then return end
    if data.to == 'deleted' then
      index(old, false)
      redis.call('DEL', docKey(old.id))
      return
    end
    local doc = copy(old)
    doc.status = data.to
    touch(doc, event)
    local json = encode(doc)
    index(old, false)
    store(doc, json)
  elseif event.type == 'ConnectionUpdated' then
    local old = load(data.connection_id)
    if not old then return end
    local doc = copy(old)
    for field, value in pairs(data.changes) do doc[field] = value end
    touch(doc, event)
    local json = encode(doc)
    index(old, false)
    store(doc, json)
  elseif event.type == 'ConnectionDeleted' then
    local doc = load(data.connection_id)
    if doc then
      index(doc, false)
      redis.call('DEL', docKey(doc.id))
    end
  elseif event.type == 'CredentialCreated' then
    -- Credentials: metadata only (their events carry no secret), one hash per organization.
    local view = {
      credential_id = data.credential_id, organization_id = data.organization_id, name = data.name, kind = data.kind,
      secret_fields = data.secret_fields, owner = data.owner, created_at = event.occurred_at, updated_at = event.occurred_at,
    }
    redis.call('HSET', idx(data.organization_id, 'credentials'), data.credential_id, cjson.encode(view))
  elseif event.type == 'CredentialUpdated' then
    local raw = redis.call('HGET', idx(data.organization_id, 'credentials'), data.credential_id)
    if not raw then return end
    local view = cjson.decode(raw)
    if type(data.name) == 'string' then view.name = data.name end
    if type(data.secret_fields) == 'table' then view.secret_fields = data.secret_fields end
    view.updated_at = event.occurred_at
    redis.call('HSET', idx(data.organization_id, 'credentials'), data.credential_id, cjson.encode(view))
  elseif event.type == 'CredentialDeleted' then
    redis.call('HDEL', idx(data.organization_id, 'credentials'), data.credential_id)
  end
end

local result = { 0 }
for i = 6, #ARGV, 4 do
  local position, eventType, stream = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  -- Positions are zero-padded strings: compared as strings, they keep 64-bit order.
  if position > current then
    local ok, err = pcall(function() apply(cjson.decode(ARGV[i + 3])) end)
    if not ok then
      local message = string.sub(tostring(err), 1, 500)
      redis.call('HSET', P .. 'dead-letters', position, cjson.encode({ position = position, type = eventType, stream = stream, error = message }))
      for _, value in ipairs({ position, eventType, stream, message }) do result[#result + 1] = value end
    end
    current = position
    result[1] = result[1] + 1
  end
end
if result[1] > 0 then redis.call('SET', checkpointKey, current) end
return result

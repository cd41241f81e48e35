-- Applies a batch of connection events and the checkpoint atomically (design.md §5): an event at or
-- before the stored checkpoint was applied already and is skipped, so a redelivery changes nothing.
-- ARGV[1] = namespace ("registry:"), ARGV[2] = the version active while no pointer is set,
-- ARGV[3] = the version to write ("v1": keys under "registry:v1:"), ARGV[4] = 'live' | 'rebuild',
-- ARGV[5..] = events as JSON: { position, type, data, occurred_at, at_ms, user_id }.
-- Returns the number of events applied, or -1 when the version's role is not what the caller thinks.
local namespace, version = ARGV[1], ARGV[3]
local active = redis.call('GET', namespace .. 'active') or ARGV[2]
-- The live projection writes only the active version, a rebuild only another one: once a switch
-- (switch-version.lua) has moved the pointer, the old version receives nothing more.
if (ARGV[4] == 'live') ~= (version == active) then return -1 end
local P = namespace .. version .. ':'
local checkpointKey = P .. 'checkpoint'
local current = redis.call('GET', checkpointKey) or ''

local function docKey(id) return P .. 'conn:' .. id end
local function idx(org, name) return P .. 'org:' .. org .. ':' .. name end

local function searchText(doc)
  local parts = { doc.name, doc.kind, doc.type, doc.sub_type }
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

-- Redis's cjson writes an empty table as {}: the list of tags is written here, last. (A
-- connection's environments are not in the document: the queries add them, see
-- apply-environment-events.lua.)
local function store(doc)
  local created_ms, updated_ms, tags = doc.created_ms, doc.updated_ms, doc.tags or {}
  doc.created_ms, doc.updated_ms, doc.tags = nil, nil, nil
  local json = cjson.encode(doc)
  redis.call('SET', docKey(doc.id), string.sub(json, 1, -2) .. ',"tags":' .. (#tags == 0 and '[]' or cjson.encode(tags)) .. '}')
  doc.created_ms, doc.updated_ms, doc.tags = created_ms, updated_ms, tags
  index(doc, true)
end

local function touch(doc, event)
  doc.updated_at = event.occurred_at
  doc.updated_ms = event.at_ms
end

local function apply(event)
  local data = event.data
  if event.type == 'ConnectionDiscovered' or event.type == 'ConnectionRegistered' then
    local old = load(data.connection_id)
    if old then index(old, false) end
    local doc = {
      id = data.connection_id, organization_id = data.organization_id, kind = data.kind,
      type = data.type, sub_type = data.sub_type, name = data.name, fingerprint = data.fingerprint,
      metadata = data.metadata, credential_id = data.credential_id, tags = data.tags or {},
      status = data.status or 'discovered', user_id = event.user_id or cjson.null,
      created_at = event.occurred_at, created_ms = event.at_ms, deleted_at = cjson.null,
    }
    touch(doc, event)
    store(doc)
  elseif event.type == 'StatusChanged' then
    local doc = load(data.connection_id)
    if not doc then return end
    index(doc, false)
    doc.status = data.to
    touch(doc, event)
    if data.to == 'deleted' then
      redis.call('DEL', docKey(doc.id))
    else
      store(doc)
    end
  elseif event.type == 'ConnectionUpdated' then
    local doc = load(data.connection_id)
    if not doc then return end
    index(doc, false)
    for field, value in pairs(data.changes) do doc[field] = value end
    touch(doc, event)
    store(doc)
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

local applied = 0
for i = 5, #ARGV do
  local event = cjson.decode(ARGV[i])
  -- Positions are zero-padded strings: compared as strings, they keep 64-bit order.
  if event.position > current then
    apply(event)
    current = event.position
    applied = applied + 1
  end
end
if applied > 0 then redis.call('SET', checkpointKey, current) end
return applied

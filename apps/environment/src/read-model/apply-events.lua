-- Applies a batch of events and its checkpoint atomically (design.md §5). Two sources feed the read
-- model, each with its own checkpoint: the service's event store ('store': environments and
-- workspaces) and CONNECTION_EVENTS ('connections': the organization's connections, for their
-- current status). An event at or before its source's checkpoint was applied already and is
-- skipped, so a redelivery changes nothing.
-- ARGV[1] = namespace ("environment:"), ARGV[2] = the version active while no pointer is set,
-- ARGV[3] = the version to write, ARGV[4] = 'live' | 'rebuild', ARGV[5] = 'store' | 'connections',
-- ARGV[6] = the checkpoint of this source the caller last applied or read ('' when it had none),
-- ARGV[7..] = events as encode-events.ts makes them.
-- Returns { events passed, then position, type, error of each event it could not apply }, or -1
-- when the version's role is not what the caller thinks, or -2 when the source's checkpoint is gone
-- although the caller had one (Redis was emptied): nothing is applied on what is left, and the
-- caller reads its source again from the start.
-- An event that cannot be applied (an id that is not a string, one encode-events.ts could not
-- encode: `poison`) is a dead letter, kept under <version>:dead-letters by source and position,
-- and skipped: the checkpoint moves past it. The ids its keys are made of are checked before its
-- first write; the document fields come encoded from encode-events.ts, so nothing is encoded here.
local namespace, version = ARGV[1], ARGV[3]
local active = redis.call('GET', namespace .. 'active') or ARGV[2]
if (ARGV[4] == 'live') ~= (version == active) then return -1 end
local P = namespace .. version .. ':'
local checkpointKey = P .. (ARGV[5] == 'connections' and 'connections:checkpoint' or 'checkpoint')
local current = redis.call('GET', checkpointKey) or ''
if current == '' and ARGV[6] ~= '' then return -2 end

local function org(o, name) return P .. 'org:' .. o .. ':' .. name end
local function json(value) return cjson.encode(value) end

-- A document is a hash of its API fields as JSON text; fields starting with '_' are internal.
local function setFields(key, f)
  for field, value in pairs(f or {}) do redis.call('HSET', key, field, value) end
end

-- The sort and search indexes of one kind of document in one organization.
local function index(o, scope, id, e, created)
  if created then redis.call('ZADD', org(o, scope .. ':created'), e.at_ms, id) end
  redis.call('ZADD', org(o, scope .. ':updated'), e.at_ms, id)
  if e.name then redis.call('HSET', org(o, scope .. ':names'), id, e.name) end
end

local function unindex(o, scope, id)
  for _, name in ipairs({ 'created', 'updated' }) do redis.call('ZREM', org(o, scope .. ':' .. name), id) end
  for _, name in ipairs({ 'names', 'texts' }) do redis.call('HDEL', org(o, scope .. ':' .. name), id) end
end

local function touch(key, e) redis.call('HSET', key, 'updated_at', json(e.at)) end

local function exists(key) return redis.call('EXISTS', key) == 1 end

-- An environment's document that is not deleted (documents written before soft deletion have no deleted_at).
local function liveEnv(id)
  local key = P .. 'env:' .. id
  local deleted = redis.call('HGET', key, 'deleted_at')
  return exists(key) and (not deleted or deleted == 'null')
end

-- Moves a document between the indexes of two scopes (a deleted environment leaves 'envs' for 'denvs', and back).
local function move(o, from, to, id)
  for _, name in ipairs({ 'created', 'updated' }) do
    local score = redis.call('ZSCORE', org(o, from .. ':' .. name), id)
    redis.call('ZREM', org(o, from .. ':' .. name), id)
    if score then redis.call('ZADD', org(o, to .. ':' .. name), score, id) end
  end
  for _, name in ipairs({ 'names', 'texts' }) do
    local value = redis.call('HGET', org(o, from .. ':' .. name), id)
    redis.call('HDEL', org(o, from .. ':' .. name), id)
    if value then redis.call('HSET', org(o, to .. ':' .. name), id, value) end
  end
end

-- Environments and workspaces: search covers the name and the description.
local function describe(o, scope, id, e)
  if e.text then redis.call('HSET', org(o, scope .. ':texts'), id, e.text) end
end

local function apply(e)
  local t = e.type
  if t == 'EnvironmentCreated' or t == 'WorkspaceCreated' then
    local scope, id = t == 'EnvironmentCreated' and 'envs' or 'ws', e.env or e.ws
    local key = P .. (scope == 'envs' and 'env:' or 'ws:') .. id
    setFields(key, e.f)
    redis.call('HSET', key, scope == 'envs' and 'connection_count' or 'environment_count', 0, 'created_at', json(e.at))
    touch(key, e)
    index(e.org, scope, id, e, true)
    describe(e.org, scope, id, e)
  elseif t == 'EnvironmentUpdated' or t == 'EnvironmentArchived' or t == 'EnvironmentRestored' or t == 'WorkspaceUpdated' then
    local scope, id = e.ws and 'ws' or 'envs', e.ws or e.env
    local key = P .. (scope == 'envs' and 'env:' or 'ws:') .. id
    if not exists(key) then return end
    setFields(key, e.f)
    touch(key, e)
    index(e.org, scope, id, e, false)
    describe(e.org, scope, id, e)
  elseif t == 'ConnectionAssigned' or t == 'ConnectionUnassigned' then
    local key = P .. 'env:' .. e.env
    if not exists(key) then return end
    if t == 'ConnectionAssigned' then
      redis.call('SADD', key .. ':conns', e.conn)
      redis.call('SADD', P .. 'conn_envs:' .. e.conn, e.env)
    else
      redis.call('SREM', key .. ':conns', e.conn)
      redis.call('SREM', P .. 'conn_envs:' .. e.conn, e.env)
    end
    redis.call('HSET', key, 'connection_count', redis.call('SCARD', key .. ':conns'))
    touch(key, e)
    index(e.org, 'envs', e.env, e, false)
  elseif t == 'EnvironmentLinked' or t == 'EnvironmentUnlinked' then
    local key = P .. 'ws:' .. e.ws
    if not exists(key) then return end
    -- A link to an environment deleted meanwhile is not kept: its deletion removed its links.
    if t == 'EnvironmentLinked' and liveEnv(e.env) then
      redis.call('SADD', key .. ':envs', e.env)
      redis.call('SADD', P .. 'env_ws:' .. e.env, e.ws)
    else
      redis.call('SREM', key .. ':envs', e.env)
      redis.call('SREM', P .. 'env_ws:' .. e.env, e.ws)
    end
    redis.call('HSET', key, 'environment_count', redis.call('SCARD', key .. ':envs'))
    touch(key, e)
    index(e.org, 'ws', e.ws, e, false)
  elseif t == 'EnvironmentDeleted' then
    -- Deleting an environment removes its assignments and workspace links, and nothing else.
    local key = P .. 'env:' .. e.env
    for _, conn in ipairs(redis.call('SMEMBERS', key .. ':conns')) do redis.call('SREM', P .. 'conn_envs:' .. conn, e.env) end
    for _, ws in ipairs(redis.call('SMEMBERS', P .. 'env_ws:' .. e.env)) do
      local wkey = P .. 'ws:' .. ws
      redis.call('SREM', wkey .. ':envs', e.env)
      if exists(wkey) then redis.call('HSET', wkey, 'environment_count', redis.call('SCARD', wkey .. ':envs')) end
    end
    redis.call('DEL', key .. ':conns', P .. 'env_ws:' .. e.env)
    if e.f and exists(key) then
      -- Soft: the document stays, listed only among the deleted ones until it is purged.
      setFields(key, e.f)
      redis.call('HSET', key, 'connection_count', 0)
      touch(key, e)
      move(e.org, 'envs', 'denvs', e.env)
      index(e.org, 'denvs', e.env, e, false)
      redis.call('ZADD', P .. 'deleted_envs', e.at_ms, e.env)
    else
      redis.call('DEL', key)
      unindex(e.org, 'envs', e.env)
    end
  elseif t == 'EnvironmentRecovered' then
    local key = P .. 'env:' .. e.env
    if not exists(key) or liveEnv(e.env) then return end
    setFields(key, e.f)
    touch(key, e)
    move(e.org, 'denvs', 'envs', e.env)
    index(e.org, 'envs', e.env, e, false)
    redis.call('ZREM', P .. 'deleted_envs', e.env)
  elseif t == 'EnvironmentPurged' then
    local key = P .. 'env:' .. e.env
    redis.call('DEL', key, key .. ':conns', P .. 'env_ws:' .. e.env)
    unindex(e.org, 'envs', e.env)
    unindex(e.org, 'denvs', e.env)
    redis.call('ZREM', P .. 'deleted_envs', e.env)
  elseif t == 'WorkspaceDeleted' then
    local key = P .. 'ws:' .. e.ws
    for _, env in ipairs(redis.call('SMEMBERS', key .. ':envs')) do redis.call('SREM', P .. 'env_ws:' .. env, e.ws) end
    redis.call('DEL', key, key .. ':envs')
    unindex(e.org, 'ws', e.ws)
  elseif t == 'ConnectionDiscovered' or t == 'ConnectionRegistered' then
    local key = P .. 'conn:' .. e.conn
    redis.call('DEL', key)
    setFields(key, e.f)
    redis.call('HSET', key, 'created_at', json(e.at), '_fixed', e.fixed, '_address', e.text or '')
    touch(key, e)
    index(e.org, 'conns', e.conn, e, true)
  elseif t == 'StatusChanged' or t == 'ConnectionUpdated' or t == 'ConnectionDeleted' then
    local key = P .. 'conn:' .. e.conn
    if t == 'ConnectionDeleted' then redis.call('SADD', P .. 'deleted_connections', e.conn) end
    if not exists(key) then return end
    if t == 'ConnectionDeleted' or e.to == 'deleted' then
      -- Deleted is terminal: the connection leaves every list; the tombstone refuses assigning it.
      redis.call('DEL', key)
      unindex(e.org, 'conns', e.conn)
      redis.call('SADD', P .. 'deleted_connections', e.conn)
      return
    end
    setFields(key, e.f)
    if e.text then redis.call('HSET', key, '_address', e.text) end
    touch(key, e)
    index(e.org, 'conns', e.conn, e, false)
  else
    return
  end
  if e.conn and (t == 'ConnectionDiscovered' or t == 'ConnectionRegistered' or t == 'ConnectionUpdated') then
    local key = P .. 'conn:' .. e.conn
    local fields = redis.call('HMGET', key, 'name', '_fixed', '_address')
    local text = string.lower(cjson.decode(fields[1])) .. ' ' .. (fields[2] or '') .. ' ' .. (fields[3] or '')
    redis.call('HSET', org(e.org, 'conns:texts'), e.conn, text)
  end
end

local function checked(e)
  if e.poison then error(e.poison, 0) end
  if type(e.org) ~= 'string' then error('org is not a string', 0) end
  for _, field in ipairs({ 'env', 'ws', 'conn' }) do
    if e[field] ~= nil and type(e[field]) ~= 'string' then error(field .. ' is not a string', 0) end
  end
  return e
end

local result = { 0 }
for i = 7, #ARGV do
  -- Read without decoding: cjson refuses some JSON (a lone surrogate's escape), and the position
  -- (first in encode-events.ts's object) is what a dead letter is kept by.
  local position = string.match(ARGV[i], '^{"position":"([^"]*)"')
  -- Positions are zero-padded strings: compared as strings, they keep 64-bit order.
  if position > current then
    local ok, err = pcall(function() apply(checked(cjson.decode(ARGV[i]))) end)
    if not ok then
      local message = string.sub(tostring(err), 1, 500)
      local eventType = string.match(ARGV[i], '"type":"([^"]*)"') or 'unknown'
      redis.call('HSET', P .. 'dead-letters', ARGV[5] .. ':' .. position, cjson.encode({ source = ARGV[5], position = position, type = eventType, error = message }))
      for _, value in ipairs({ position, eventType, message }) do result[#result + 1] = value end
    end
    current = position
    result[1] = result[1] + 1
  end
end
if result[1] > 0 then redis.call('SET', checkpointKey, current) end
return result

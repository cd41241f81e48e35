-- The environments each connection is assigned to, from ENVIRONMENT_EVENTS (the environment
-- service's events on the bus), applied with their checkpoint atomically: a message at or before
-- the checkpoint was applied already, so a redelivery or a second replica changes nothing.
-- They live beside the versioned read model, not in it: a rebuild of the connections leaves them
-- be, and the queries add a connection's list to its document as they read it.
-- ARGV[1] = prefix ("registry:environments:"), ARGV[2] = the last sequence this reader applied or
-- saw applied ('0' at its start), ARGV[3..] = messages as JSON: { seq, type, data }.
-- Returns { messages passed, then seq, type, error of each message it could not apply }, or -1 when the checkpoint is gone although the reader
-- had one (Redis was emptied): nothing is applied on what is left, the reader starts again from
-- the stream's start.
local P = ARGV[1]
local stored = redis.call('GET', P .. 'checkpoint')
if not stored and tonumber(ARGV[2]) > 0 then return -1 end
local checkpoint = tonumber(stored or '0')

local function members(env) return P .. 'env:' .. env .. ':members' end
local function nameKey(env) return P .. 'env:' .. env .. ':name' end
local function assigned(id) return P .. 'conn:' .. id end
local function view(id) return P .. 'view:' .. id end

-- The list a connection shows, as JSON, ordered by name then id.
local function render(id)
  local flat = redis.call('HGETALL', assigned(id))
  if #flat == 0 then
    redis.call('DEL', view(id))
    return
  end
  local envs = {}
  for i = 1, #flat, 2 do envs[#envs + 1] = { id = flat[i], name = flat[i + 1] } end
  table.sort(envs, function(a, b)
    if a.name == b.name then return a.id < b.id end
    return a.name < b.name
  end)
  local parts = {}
  for i, env in ipairs(envs) do parts[i] = cjson.encode(env) end
  redis.call('SET', view(id), '[' .. table.concat(parts, ',') .. ']')
end

-- Renames the environment on each of its connections, or removes it from them (`name` nil).
local function everyMember(env, name)
  for _, id in ipairs(redis.call('SMEMBERS', members(env))) do
    if name then redis.call('HSET', assigned(id), env, name) else redis.call('HDEL', assigned(id), env) end
    render(id)
  end
end

local function apply(event)
  local data = event.data
  local env = data.environment_id
  if type(env) ~= 'string' then return end
  if event.type == 'EnvironmentCreated' then
    if type(data.name) ~= 'string' then error('name is not a string', 0) end
    redis.call('SET', nameKey(env), data.name)
  elseif event.type == 'EnvironmentUpdated' then
    if type(data.changes) == 'table' and type(data.changes.name) == 'string' then
      redis.call('SET', nameKey(env), data.changes.name)
      everyMember(env, data.changes.name)
    end
  elseif event.type == 'EnvironmentDeleted' or event.type == 'EnvironmentPurged' then
    everyMember(env, nil)
    redis.call('DEL', members(env))
  elseif event.type == 'ConnectionAssigned' and type(data.connection_id) == 'string' then
    redis.call('SADD', members(env), data.connection_id)
    redis.call('HSET', assigned(data.connection_id), env, redis.call('GET', nameKey(env)) or '')
    render(data.connection_id)
  elseif event.type == 'ConnectionUnassigned' and type(data.connection_id) == 'string' then
    redis.call('SREM', members(env), data.connection_id)
    redis.call('HDEL', assigned(data.connection_id), env)
    render(data.connection_id)
  end
end

local result = { 0 }
for i = 3, #ARGV do
  -- Read without decoding: cjson refuses some JSON (a lone surrogate's escape); seq comes first.
  local seq = tonumber(string.match(ARGV[i], '^{"seq":(%d+)'))
  if seq > checkpoint then
    -- A message that cannot be applied is a dead letter, skipped (docs/registry.md, Decisions):
    -- each check comes before the message's first write.
    local ok, err = pcall(function() apply(cjson.decode(ARGV[i])) end)
    if not ok then
      local message = string.sub(tostring(err), 1, 500)
      local eventType = string.match(ARGV[i], '"type":"([^"]*)"') or 'unknown'
      redis.call('HSET', P .. 'dead-letters', seq, cjson.encode({ seq = seq, type = eventType, error = message }))
      for _, value in ipairs({ seq, eventType, message }) do result[#result + 1] = value end
    end
    checkpoint = seq
    result[1] = result[1] + 1
  end
end
if result[1] > 0 then redis.call('SET', P .. 'checkpoint', checkpoint) end
return result

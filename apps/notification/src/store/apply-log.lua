-- Applies a batch of the NOTIFICATIONS stream (docs/notification.md) to the notifications in
-- Redis, with its checkpoint (the last stream sequence applied) in the same script: a message at
-- or before the checkpoint was applied already, so a redelivery or a second replica changes nothing.
-- ARGV[1] = prefix, ARGV[2] = the last sequence this reader applied or saw applied ('0' at its
-- start), ARGV[3] = how long an event id is remembered (ms), ARGV[4..] = messages as JSON, seq first:
--   { seq, type = 'stored', feed_seq, id, org, severity, category, action, acted_upon, created, text, doc }
--   { seq, type = 'marked', org, status, ids }   { seq, type = 'deleted', org, ids }
--   { seq, type = 'invalid', kind, error }       (what the reader could not decode: a dead letter)
-- Returns -1 when the checkpoint is gone or behind the reader (Redis was emptied: nothing is
-- applied on what is left, the reader starts again from the stream's start), or
-- { messages passed, { stream seq, org seq } of each notification stored new, { seq, type, error } of each dead letter }.
local p = ARGV[1]
-- Behind the reader counts as gone too: another replica already began the rebuild, and applying
-- this reader's later messages on top would skip the ones in between.
local checkpoint = tonumber(redis.call('GET', p .. 'checkpoint') or '0')
if checkpoint < tonumber(ARGV[2]) then return -1 end
local ttl = ARGV[3]

local function isString(v) return type(v) == 'string' and v ~= '' end
local function org(o) return p .. 'org:' .. o end
local function uncount(hash, field)
  if redis.call('HINCRBY', hash, field, -1) <= 0 then redis.call('HDEL', hash, field) end
end
local function idsOf(m)
  if not isString(m.org) or type(m.ids) ~= 'table' then error('org or ids missing', 0) end
  for _, id in ipairs(m.ids) do
    if not isString(id) then error('an id is not a string', 0) end
  end
  return m.ids
end

-- Stores one notification once (its event id is remembered against a second 'stored'); returns its org seq, or nil.
local function store(m)
  for _, field in ipairs({ 'feed_seq', 'id', 'org', 'severity', 'category', 'action', 'acted_upon', 'created', 'text', 'doc' }) do
    if type(m[field]) ~= 'string' then error(field .. ' is not a string', 0) end
  end
  -- created (ms) comes as a string: a Lua number would be written with 14 significant digits.
  if not string.match(m.created, '^%d+$') then error('created is not a time', 0) end
  if not string.match(m.feed_seq, '^%d+$') then error('feed_seq is not a number', 0) end
  if not redis.call('SET', p .. 'seen:' .. m.id, '1', 'NX', 'PX', ttl) then return nil end
  local o = org(m.org)
  -- The seq came with the record (given out when it was appended), so a rebuild repeats it even
  -- after the stream dropped the organization's older records; the counter is the highest applied.
  local seq = tonumber(m.feed_seq)
  if seq > tonumber(redis.call('GET', o .. ':seq') or '0') then redis.call('SET', o .. ':seq', seq) end
  redis.call('HSET', p .. 'n:' .. m.id, 'org', m.org, 'seq', seq, 'severity', m.severity, 'category', m.category, 'action', m.action,
    'acted_upon', m.acted_upon, 'created', m.created, 'text', m.text, 'doc', m.doc, 'status', 'unread', 'indexed', '1')
  redis.call('ZADD', o .. ':all', seq, m.id)
  redis.call('ZADD', o .. ':time', m.created, m.id)
  -- One sorted set (by seq) per value of each filter, so a filtered list intersects instead of scanning.
  for facet, value in pairs({ severity = m.severity, category = m.category, action = m.action, acted_upon = m.acted_upon, status = 'unread' }) do
    redis.call('ZADD', o .. ':by:' .. facet .. ':' .. value, seq, m.id)
  end
  redis.call('HINCRBY', o .. ':unread', m.severity, 1)
  redis.call('HINCRBY', o .. ':categories', m.category, 1)
  redis.call('HINCRBY', o .. ':actions', m.action, 1)
  redis.call('SADD', p .. 'orgs', m.org)
  return seq
end

local function mark(m)
  if m.status ~= 'read' and m.status ~= 'unread' then error('status is neither read nor unread', 0) end
  local o = org(m.org)
  for _, id in ipairs(idsOf(m)) do
    local key = p .. 'n:' .. id
    local f = redis.call('HMGET', key, 'org', 'status', 'severity', 'seq')
    if f[1] == m.org and f[2] ~= m.status then
      redis.call('HSET', key, 'status', m.status)
      redis.call('HINCRBY', o .. ':unread', f[3], m.status == 'unread' and 1 or -1)
      redis.call('ZREM', o .. ':by:status:' .. f[2], id)
      redis.call('ZADD', o .. ':by:status:' .. m.status, f[4], id)
    end
  end
end

local function remove(m)
  local o = org(m.org)
  for _, id in ipairs(idsOf(m)) do
    local key = p .. 'n:' .. id
    local f = redis.call('HMGET', key, 'org', 'status', 'severity', 'category', 'action', 'indexed', 'acted_upon')
    if f[1] == m.org then
      redis.call('DEL', key)
      for facet, value in pairs({ status = f[2], severity = f[3], category = f[4], action = f[5], acted_upon = f[7] }) do
        if value then redis.call('ZREM', o .. ':by:' .. facet .. ':' .. value, id) end
      end
      if f[2] == 'unread' then redis.call('HINCRBY', o .. ':unread', f[3], -1) end
      if f[6] then
        uncount(o .. ':categories', f[4])
        uncount(o .. ':actions', f[5])
      end
      redis.call('ZREM', o .. ':all', id)
      redis.call('ZREM', o .. ':time', id)
    end
  end
end

local passed, fresh, dead = 0, {}, {}
for i = 4, #ARGV do
  -- Read without decoding: cjson refuses some JSON (a lone surrogate's escape); seq comes first.
  local seq = tonumber(string.match(ARGV[i], '^{"seq":(%d+)'))
  if seq > checkpoint then
    -- Every check comes before a message's first write: a dead letter writes nothing but itself.
    local ok, err = pcall(function()
      local m = cjson.decode(ARGV[i])
      if m.type == 'stored' then
        local orgSeq = store(m)
        if orgSeq then
          fresh[#fresh + 1] = seq
          fresh[#fresh + 1] = orgSeq
        end
      elseif m.type == 'marked' then
        mark(m)
      elseif m.type == 'deleted' then
        remove(m)
      elseif m.type == 'invalid' then
        error(tostring(m.error), 0)
      else
        error('unknown message type ' .. tostring(m.type), 0)
      end
    end)
    if not ok then
      local message = string.sub(tostring(err), 1, 500)
      local kind = string.match(ARGV[i], '"kind":"([^"]*)"') or string.match(ARGV[i], '"type":"([^"]*)"') or 'unknown'
      redis.call('HSET', p .. 'dead-letters', seq, cjson.encode({ seq = seq, type = kind, error = message }))
      for _, value in ipairs({ seq, kind, message }) do dead[#dead + 1] = value end
    end
    checkpoint = seq
    passed = passed + 1
  end
end
if passed > 0 then redis.call('SET', p .. 'checkpoint', checkpoint) end
return { passed, fresh, dead }

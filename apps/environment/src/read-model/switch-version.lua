-- Makes a rebuilt version the active one once it has caught up with the live one on both of its
-- sources (design.md §5). The live projections write only while their version is active
-- (apply-events.lua checks it in the same atomic step), so the old version changes no more after
-- this: the new one, at or past both of its checkpoints, misses nothing.
-- ARGV[1] = namespace, ARGV[2] = the version active while no pointer is set, ARGV[3] = the rebuilt version.
-- Returns { 1, previous version } or, when the live version is ahead, { 0, its store checkpoint, its connections checkpoint }.
local namespace, version = ARGV[1], ARGV[3]
local active = redis.call('GET', namespace .. 'active') or ARGV[2]
if active == version then return redis.error_reply('version ' .. version .. ' is active already') end
local function at(v, name) return redis.call('GET', namespace .. v .. ':' .. name) or '' end
local liveStore, liveConnections = at(active, 'checkpoint'), at(active, 'connections:checkpoint')
if liveStore > at(version, 'checkpoint') or liveConnections > at(version, 'connections:checkpoint') then
  return { 0, liveStore, liveConnections }
end
redis.call('SET', namespace .. 'active', version)
return { 1, active }

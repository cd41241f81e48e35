-- Makes a rebuilt version the active one once it has caught up with the live one (design.md §5).
-- The live projection writes only while its version is active (apply-events.lua checks that in
-- the same atomic step), so this is the last moment the old version changes: the new one, at or
-- past the old one's checkpoint, misses nothing, and the projection continues on it from there.
-- ARGV[1] = namespace, ARGV[2] = the version active while no pointer is set, ARGV[3] = the rebuilt version.
-- Returns { 1, previous version } or, when the live version is ahead, { 0, its checkpoint }.
local namespace, version = ARGV[1], ARGV[3]
local active = redis.call('GET', namespace .. 'active') or ARGV[2]
if active == version then return redis.error_reply('version ' .. version .. ' is active already') end
local live = redis.call('GET', namespace .. active .. ':checkpoint') or ''
local built = redis.call('GET', namespace .. version .. ':checkpoint') or ''
if live > built then return { 0, live } end
redis.call('SET', namespace .. 'active', version)
return { 1, active }

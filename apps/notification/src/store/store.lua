-- Stores one notification, once: ARGV prefix, id, org, severity, category, action, acted_upon,
-- created (ms), search text, doc (JSON without status), dedupe ttl (ms).
-- Returns its seq in the organization's feed; a redelivery returns the seq it got the first time
-- (so it is published again, harmlessly), or 0 if it has been deleted since.
local p, id, org = ARGV[1], ARGV[2], ARGV[3]
local key = p .. 'n:' .. id
if not redis.call('SET', p .. 'seen:' .. id, '1', 'NX', 'PX', ARGV[11]) then
  return tonumber(redis.call('HGET', key, 'seq') or '0')
end
local o = p .. 'org:' .. org
local seq = redis.call('INCR', o .. ':seq')
redis.call('HSET', key, 'org', org, 'seq', seq, 'severity', ARGV[4], 'category', ARGV[5], 'action', ARGV[6],
  'acted_upon', ARGV[7], 'created', ARGV[8], 'text', ARGV[9], 'doc', ARGV[10], 'status', 'unread', 'indexed', '1')
redis.call('ZADD', o .. ':all', seq, id)
redis.call('ZADD', o .. ':time', ARGV[8], id)
-- One sorted set (by seq) per value of each filter, so a filtered list intersects instead of scanning.
for facet, value in pairs({ severity = ARGV[4], category = ARGV[5], action = ARGV[6], acted_upon = ARGV[7], status = 'unread' }) do
  redis.call('ZADD', o .. ':by:' .. facet .. ':' .. value, seq, id)
end
redis.call('HINCRBY', o .. ':unread', ARGV[4], 1)
-- How many notifications have each category and action: the organization's distinct types
-- ('indexed': this one is in the filter indexes and the counts, so removing it uncounts it).
redis.call('HINCRBY', o .. ':categories', ARGV[5], 1)
redis.call('HINCRBY', o .. ':actions', ARGV[6], 1)
redis.call('SADD', p .. 'orgs', org)
return seq

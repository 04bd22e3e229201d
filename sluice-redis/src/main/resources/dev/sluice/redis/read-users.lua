-- One page of users and the global total: SSCAN from a cursor, so one call costs about a page whatever the number
-- of users (SSCAN may return a user twice when the set grows during a walk, never miss one present throughout).
-- KEYS[1] user ids (SET), KEYS[2] global total (STRING); ARGV[1] what comes before a user id in its key,
-- ARGV[2] the SSCAN cursor ('0' for the first page), ARGV[3] the page size (SSCAN's COUNT).
-- Returns { next cursor ('0' after the last page), total, id1, { field, value, ... }, id2, { ... }, ... }. User keys
-- are built here rather than passed in: they are not known before SSCAN, and on Redis Cluster their {playtime}
-- hash tag keeps them in KEYS[1]'s slot.
local page = redis.call('SSCAN', KEYS[1], ARGV[2], 'COUNT', ARGV[3])
local out = { page[1], redis.call('GET', KEYS[2]) or '0' }
for _, id in ipairs(page[2]) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. id)
end
return out

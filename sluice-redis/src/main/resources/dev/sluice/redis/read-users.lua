-- Every user's hash and the global total, read in one script so the answer is one moment: never a file counted
-- for some users and not yet for others.
-- KEYS[1] user ids (SET), KEYS[2] global total (STRING); ARGV[1] what comes before a user id in its key.
-- Returns { total, id1, { field, value, ... }, id2, { ... }, ... }. User keys are built here rather than passed in:
-- they are not known before SMEMBERS, and on Redis Cluster their {playtime} hash tag keeps them in KEYS[1]'s slot.
local out = { redis.call('GET', KEYS[2]) or '0' }
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. id)
end
return out

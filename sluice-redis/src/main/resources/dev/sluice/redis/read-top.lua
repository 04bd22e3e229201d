-- The users with the largest totals, largest first, the global total and the number of users, from the
-- leaderboard (ZSET kept by apply-totals): the cost is the number asked for, whatever the number of users.
-- KEYS[1] users by total (ZSET), KEYS[2] global total (STRING), KEYS[3] user ids (SET); ARGV[1] what comes before a
-- user id in its key, ARGV[2] how many. Returns { total, user count, id1, { field, value, ... }, ... } with the
-- exact amounts of each user's hash.
local out = { redis.call('GET', KEYS[2]) or '0', redis.call('SCARD', KEYS[3]) }
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. id)
end
return out

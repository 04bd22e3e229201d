-- Counts one file: adds every delta and records its done marker, or changes nothing when the marker is there.
-- KEYS[1] this file's done marker (STRING, expires after the retention), KEYS[2] done markers written before
-- markers expired (SET, only read), KEYS[3] user ids (SET), KEYS[4] global total (STRING), KEYS[5] users by total
-- (ZSET, for the leaderboard), KEYS[5 + i] hash of user i.
-- ARGV[1] marker, ARGV[2] global delta, ARGV[3] byte length of the user key prefix (what comes before an id),
-- ARGV[4] how long the done marker stays, in ms, ARGV[5] event type count T, ARGV[6 .. 5 + T] event type names,
-- ARGV[5 + T + i] amounts of user i: "total,a1,...,aT" with an empty aN where the user has none of that type. One
-- argument per user and ids taken from the keys keep a file far below Redis 6.2's limit of 1,048,576 elements per
-- command.
-- Amounts are decimal integers handed to INCRBY/HINCRBY as they are: Lua does no arithmetic on them.
-- Redis runs a script alone but does not undo what it wrote if a command fails half-way, so everything that could
-- fail is checked before the first write.
local doneKey, legacyDone, users, total, byTotal = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local marker = ARGV[1]
if redis.call('TYPE', legacyDone)['ok'] == 'set' and redis.call('SISMEMBER', legacyDone, marker) == 1 then
  return 0
end
if redis.call('EXISTS', doneKey) == 1 then
  return 0
end

local idFrom = tonumber(ARGV[3]) + 1
local retention = ARGV[4]
local types = tonumber(ARGV[5])
local userCount = #KEYS - 5
if #ARGV ~= 5 + types + userCount then
  return redis.error_reply('ERR sluice apply-file: ' .. #ARGV .. ' arguments do not fit ' .. userCount .. ' users')
end

-- The reason names the key's pattern, never the key: a user key holds a user id, and reasons reach logs.
local function wrongType(key, pattern, wanted)
  local actual = redis.call('TYPE', key)['ok']
  if actual ~= 'none' and actual ~= wanted then
    return 'WRONGTYPE sluice apply-file: a key ' .. pattern .. ' is a ' .. actual .. ', not a ' .. wanted
  end
  return nil
end
local problem = wrongType(legacyDone, '{playtime}:files:done', 'set')
  or wrongType(doneKey, '{playtime}:files:done:<marker>', 'string') or wrongType(users, '{playtime}:users', 'set')
  or wrongType(total, '{playtime}:total', 'string') or wrongType(byTotal, '{playtime}:users:by-total', 'zset')
for i = 1, userCount do
  problem = problem or wrongType(KEYS[5 + i], '{playtime}:user:<id>', 'hash')
end
if problem then
  return redis.error_reply(problem)
end
-- Amounts are never negative, so the global total bounds every other counter: if it cannot overflow, none can.
-- The margin covers the rounding of Lua's doubles near 2^63.
local current = tonumber(redis.call('GET', total) or '0')
if current == nil or current + tonumber(ARGV[2]) > 9.2e18 then
  return redis.error_reply('ERR sluice apply-file: the global total would leave the 64-bit integer range')
end

for i = 1, userCount do
  local key = KEYS[5 + i]
  local id = string.sub(key, idFrom)
  redis.call('SADD', users, id)
  local amounts = ARGV[5 + types + i]
  local from = 1
  for t = 0, types do
    local comma = string.find(amounts, ',', from, true)
    local amount = string.sub(amounts, from, (comma or 0) - 1)
    if amount ~= '' then
      local now = redis.call('HINCRBY', key, t == 0 and 'total' or ARGV[5 + t], amount)
      if t == 0 then
        -- The leaderboard's score is the user's total as it now is: exact up to 2^53, an order beyond.
        redis.call('ZADD', byTotal, now, id)
      end
    end
    if comma == nil then
      break
    end
    from = comma + 1
  end
end
redis.call('INCRBY', total, ARGV[2])
redis.call('SET', doneKey, '1', 'PX', retention)
return 1

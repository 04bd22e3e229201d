-- Counts one file: adds every group's sums and records its done marker, or changes nothing when the marker is there.
-- KEYS[1] this file's done marker (STRING, expires after the retention), KEYS[2] done markers written before
-- markers expired (SET, only read), KEYS[3] group ids (SET), KEYS[4] groups by their first total (ZSET, for the
-- leaderboard), KEYS[4 + s] global total of summed column s (STRING, s = 1 .. S), KEYS[4 + S + i] hash of group i.
-- ARGV[1] marker, ARGV[2] byte length of the group key prefix (what comes before an id), ARGV[3] byte length of the
-- key prefix before the hash tag, ARGV[4] how long the done marker stays, in ms, ARGV[5] summed column count S,
-- ARGV[6] field count F, ARGV[7 .. 6 + S] total field names, ARGV[7 + S .. 6 + S + F] field names,
-- ARGV[7 + S + F .. 6 + 2S + F] global deltas, ARGV[6 + 2S + F + i] amounts of group i: "t1,...,tS,a1,...,aF" with
-- an empty aN where the group has none of that field. One argument per group and ids taken from the keys keep a
-- file far below Redis 6.2's limit of 1,048,576 elements per command.
-- Amounts are decimal integers handed to INCRBY/HINCRBY as they are: Lua does no arithmetic on them.
-- Redis runs a script alone but does not undo what it wrote if a command fails half-way, so everything that could
-- fail is checked before the first write.
local doneKey, legacyDone, groups, byTotal = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local marker = ARGV[1]
if redis.call('TYPE', legacyDone)['ok'] == 'set' and redis.call('SISMEMBER', legacyDone, marker) == 1 then
  return 0
end
if redis.call('EXISTS', doneKey) == 1 then
  return 0
end

local idFrom = tonumber(ARGV[2]) + 1
local tagFrom = tonumber(ARGV[3]) + 1
local retention = ARGV[4]
local sums = tonumber(ARGV[5])
local fields = tonumber(ARGV[6])
local groupCount = #KEYS - 4 - sums
local amountsFrom = 6 + 2 * sums + fields
if #ARGV ~= amountsFrom + groupCount then
  return redis.error_reply('ERR sluice apply-totals: ' .. #ARGV .. ' arguments do not fit ' .. groupCount .. ' groups')
end

-- The reason names the key's pattern (the key after the prefix, with <id> or <marker> in place of data), never a
-- group key: it holds an id, and reasons reach logs.
local function wrongType(key, pattern, wanted)
  local actual = redis.call('TYPE', key)['ok']
  if actual ~= 'none' and actual ~= wanted then
    return 'WRONGTYPE sluice apply-totals: a key ' .. pattern .. ' is a ' .. actual .. ', not a ' .. wanted
  end
  return nil
end
local problem = wrongType(legacyDone, string.sub(legacyDone, tagFrom), 'set')
  or wrongType(doneKey, string.sub(legacyDone, tagFrom) .. ':<marker>', 'string')
  or wrongType(groups, string.sub(groups, tagFrom), 'set') or wrongType(byTotal, string.sub(byTotal, tagFrom), 'zset')
for s = 1, sums do
  problem = problem or wrongType(KEYS[4 + s], string.sub(KEYS[4 + s], tagFrom), 'string')
end
for i = 1, groupCount do
  local key = KEYS[4 + sums + i]
  problem = problem or wrongType(key, string.sub(key, tagFrom, idFrom - 1) .. '<id>', 'hash')
end
if problem then
  return redis.error_reply(problem)
end
-- Amounts are never negative, so each global total bounds the counters of its column: if it cannot overflow, none
-- can. The margin covers the rounding of Lua's doubles near 2^63.
for s = 1, sums do
  local current = tonumber(redis.call('GET', KEYS[4 + s]) or '0')
  if current == nil or current + tonumber(ARGV[6 + sums + fields + s]) > 9.2e18 then
    return redis.error_reply('ERR sluice apply-totals: a global total would leave the 64-bit integer range')
  end
end

for i = 1, groupCount do
  local key = KEYS[4 + sums + i]
  local id = string.sub(key, idFrom)
  redis.call('SADD', groups, id)
  local amounts = ARGV[amountsFrom + i]
  local from = 1
  -- Names ARGV[7 .. 6 + S + F] are the totals then the fields, in the order of the amounts.
  for n = 1, sums + fields do
    local comma = string.find(amounts, ',', from, true)
    local amount = string.sub(amounts, from, (comma or 0) - 1)
    if amount ~= '' then
      local now = redis.call('HINCRBY', key, ARGV[6 + n], amount)
      if n == 1 then
        -- The leaderboard's score is the group's first total as it now is: exact up to 2^53, an order beyond.
        redis.call('ZADD', byTotal, now, id)
      end
    end
    if comma == nil then
      break
    end
    from = comma + 1
  end
end
for s = 1, sums do
  redis.call('INCRBY', KEYS[4 + s], ARGV[6 + sums + fields + s])
end
redis.call('SET', doneKey, '1', 'PX', retention)
return 1

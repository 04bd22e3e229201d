-- One page of records (failed files, rejected notifications), oldest first, from a cursor (the recorded-at time and
-- id of the last index entry of the previous page): the cost is one page, whatever the number of records.
-- KEYS[1] index (ZSET id -> recorded at, ms); ARGV[1] what comes before an id in its record's key (same {playtime}
-- slot on Redis Cluster), ARGV[2] the cursor's time in ms, or '-inf' for the first page, ARGV[3] the cursor's id
-- ('' for the first page), ARGV[4] the page size.
-- Returns { index entries read, last entry's time, last entry's id, { field, value, ... }, ... }; records that
-- expired before the index forgot them are left out, so a page may hold fewer records than entries read.
local index, prefix, after, lastId, size = KEYS[1], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local entries = {}
if after ~= '-inf' then
  -- Entries of the cursor's own millisecond that sort after its id (a ZSET orders equal scores by member).
  local tied = redis.call('ZRANGEBYSCORE', index, after, after, 'WITHSCORES')
  for i = 1, #tied, 2 do
    if tied[i] > lastId and #entries < 2 * size then
      entries[#entries + 1] = tied[i]
      entries[#entries + 1] = tied[i + 1]
    end
  end
end
if #entries < 2 * size then
  local from = after == '-inf' and '-inf' or '(' .. after
  local rest = redis.call('ZRANGEBYSCORE', index, from, '+inf', 'WITHSCORES', 'LIMIT', 0, size - #entries / 2)
  for i = 1, #rest do
    entries[#entries + 1] = rest[i]
  end
end
local out = { #entries / 2, entries[#entries] or '', entries[#entries - 1] or '' }
for i = 1, #entries, 2 do
  local record = redis.call('HGETALL', prefix .. entries[i])
  if #record > 0 then
    out[#out + 1] = record
  end
end
return out

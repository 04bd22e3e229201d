-- Records one thing once, for a while: a failed file under its marker, a rejected notification under its message
-- id. A repeat (a redelivery before the message reaches the DLQ) changes nothing, so the first record stays. The
-- record and its place in the index expire after the retention.
-- KEYS[1] index (ZSET id -> recorded at, ms), KEYS[2] this record (HASH);
-- ARGV[1] id, ARGV[2] time in ms, ARGV[3] retention in ms, ARGV[4 ..] field, value, field, value, ...
if redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
local at, retention = tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 4, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[2], retention)
redis.call('ZADD', KEYS[1], at, ARGV[1])
-- Index entries of records that expired: their records are gone, so the index forgets them too.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (at - retention))
return 1

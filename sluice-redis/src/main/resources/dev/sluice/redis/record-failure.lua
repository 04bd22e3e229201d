-- Records one failed file once: a redelivery of the same bad file before it reaches the DLQ changes nothing, so
-- the first time stays. The record and its place in the index expire after the retention.
-- KEYS[1] failure index (ZSET marker -> recorded at, ms), KEYS[2] this file's record (HASH);
-- ARGV marker, bucket, key, etag, reason, time (ISO-8601), time in ms, retention in ms.
if redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
local at, retention = tonumber(ARGV[7]), tonumber(ARGV[8])
redis.call('HSET', KEYS[2], 'bucket', ARGV[2], 'key', ARGV[3], 'etag', ARGV[4], 'reason', ARGV[5], 'time', ARGV[6])
redis.call('PEXPIRE', KEYS[2], retention)
redis.call('ZADD', KEYS[1], at, ARGV[1])
-- Index entries of records that expired: their records are gone, so the index forgets them too.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (at - retention))
return 1

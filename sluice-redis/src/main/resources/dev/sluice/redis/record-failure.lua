-- Records one failed file once: a redelivery of the same bad file before it reaches the DLQ changes nothing, so
-- the first time stays.
-- KEYS[1] failed markers (SET), KEYS[2] this file's record (HASH); ARGV marker, bucket, key, etag, reason, time.
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[2], 'bucket', ARGV[2], 'key', ARGV[3], 'etag', ARGV[4], 'reason', ARGV[5], 'time', ARGV[6])
redis.call('SADD', KEYS[1], ARGV[1])
return 1

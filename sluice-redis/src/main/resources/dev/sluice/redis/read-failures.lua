-- Every failed-file record. KEYS[1] failed markers (SET); ARGV[1] what comes before a marker in its record's key
-- (same {playtime} slot on Redis Cluster). Returns { { field, value, ... }, ... }.
local out = {}
for _, marker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. marker)
end
return out

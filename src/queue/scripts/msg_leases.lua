-- msg_leases: KEYS = leases (ZSET), holders (HASH). ARGV = processing elements, exactly as
-- stored. Reads only (a script, so it runs on a cluster connection too, where MULTI pipelines
-- do not): the server's clock (ms), then for each element its lease deadline (nil when it has
-- none) and the consumer holding it (nil when none recorded one).
local out = {now_ms()}
for i = 1, #ARGV do
  out[#out + 1] = redis.call('ZSCORE', KEYS[1], ARGV[i])
  out[#out + 1] = redis.call('HGET', KEYS[2], redis.sha1hex(ARGV[i]))
end
return out

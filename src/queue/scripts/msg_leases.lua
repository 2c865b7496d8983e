-- msg_leases: KEYS = leases (ZSET). ARGV = processing elements, exactly as stored.
-- Reads only (a script, so it runs on a cluster connection too, where MULTI pipelines do not):
-- the server's clock (ms), then each element's lease deadline, nil when it has none.
local out = {now_ms()}
for i = 1, #ARGV do
  out[i + 1] = redis.call('ZSCORE', KEYS[1], ARGV[i])
end
return out

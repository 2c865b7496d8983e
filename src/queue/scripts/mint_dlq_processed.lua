-- mint_dlq_processed: KEYS = the deployer's processed set. ARGV = idempotency keys.
-- Returns 1 or 0 per key: whether the deployer has settled it (SISMEMBER; SMISMEMBER needs
-- Redis 6.2). Reads only.
local out = {}
for i = 1, #ARGV do
  out[i] = redis.call('SISMEMBER', KEYS[1], ARGV[i])
end
return out

-- depth: KEYS = main, processing, dlq, retry, leases.
-- Returns {llen main, llen processing, llen dlq, zcard retry, due retries, zcard leases,
--          oldest main element or false, now_ms, oldest processing element or false}.
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'list')
check_type(KEYS[3], 'list')
check_type(KEYS[4], 'zset')
check_type(KEYS[5], 'zset')
local now = now_ms()
return {
  redis.call('LLEN', KEYS[1]),
  redis.call('LLEN', KEYS[2]),
  redis.call('LLEN', KEYS[3]),
  redis.call('ZCARD', KEYS[4]),
  redis.call('ZCOUNT', KEYS[4], '-inf', now),
  redis.call('ZCARD', KEYS[5]),
  redis.call('LINDEX', KEYS[1], -1),
  now,
  redis.call('LINDEX', KEYS[2], -1),
}

-- ack: KEYS = processing, leases. ARGV = elements.
-- Removes each element from processing (scanning from the tail, where the oldest claims sit)
-- and drops its lease unless another copy of the same bytes is still in flight. Returns one 1
-- (acked) or 0 (was not there) per element.
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'zset')
local out = {}
for i = 1, #ARGV do
  out[i] = redis.call('LREM', KEYS[1], -1, ARGV[i])
end
local empty = redis.call('LLEN', KEYS[1]) == 0
for i = 1, #ARGV do
  if out[i] > 0 then
    if empty then
      redis.call('ZREM', KEYS[2], ARGV[i])
    else
      release_lease(KEYS[1], KEYS[2], ARGV[i])
    end
  end
end
return out

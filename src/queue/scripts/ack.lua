-- ack: KEYS = processing, leases. ARGV = elements.
-- Removes each element from processing and drops its lease unless another copy of the same
-- bytes is still in flight. Returns one 1 (acked) or 0 (was not there) per element.
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'zset')
local out = {}
for i = 1, #ARGV do
  local n = redis.call('LREM', KEYS[1], 1, ARGV[i])
  if n > 0 then release_lease(KEYS[1], KEYS[2], ARGV[i]) end
  out[i] = n
end
return out

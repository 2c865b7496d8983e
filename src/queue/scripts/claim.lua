-- claim: KEYS = main, processing, leases. ARGV = n, visibility_ms.
-- Moves up to n elements from the consumer end of main to processing and records each one's
-- lease (member = the element itself, score = deadline on the server clock), in one step.
-- An element already leased (the same bytes delivered twice) keeps the later deadline.
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'list')
check_type(KEYS[3], 'zset')
local deadline = now_ms() + tonumber(ARGV[2])
local out = {}
for _ = 1, tonumber(ARGV[1]) do
  local e = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
  if not e then break end
  extend_lease(KEYS[3], e, deadline)
  out[#out + 1] = e
end
return out

-- ack: KEYS = processing, leases[, holders]. ARGV = elements, in the order they were claimed.
-- Removes each element from processing and drops its lease unless another copy of the same
-- bytes is still in flight. Returns one 1 (acked) or 0 (was not there) per element.
-- Fast path, the common case of one consumer acking a whole claim: the batch is exactly the
-- tail of processing (claimed oldest first, so the first element is the last one), and it is
-- cut off with one LTRIM. Otherwise each element is removed by value, scanning from the tail.
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'zset')
if KEYS[3] then check_type(KEYS[3], 'hash') end
local n = #ARGV
local out = {}
local fast = false
if n > 1 then
  local tail = redis.call('LRANGE', KEYS[1], -n, -1)
  if #tail == n then
    fast = true
    for i = 1, n do
      if tail[n + 1 - i] ~= ARGV[i] then
        fast = false
        break
      end
    end
  end
end
if fast then
  redis.call('LTRIM', KEYS[1], 0, -n - 1)
  for i = 1, n do out[i] = 1 end
else
  for i = 1, n do
    out[i] = redis.call('LREM', KEYS[1], -1, ARGV[i])
  end
end
if redis.call('LLEN', KEYS[1]) == 0 then
  local acked = {}
  for i = 1, n do
    if out[i] > 0 then acked[#acked + 1] = ARGV[i] end
  end
  local i = 1
  while i <= #acked do
    local j = math.min(i + 499, #acked)
    redis.call('ZREM', KEYS[2], unpack(acked, i, j))
    i = j + 1
  end
  for k = 1, #acked do drop_holder(KEYS[3], acked[k]) end
else
  for i = 1, n do
    if out[i] > 0 then release_lease(KEYS[1], KEYS[2], ARGV[i], KEYS[3]) end
  end
end
return out

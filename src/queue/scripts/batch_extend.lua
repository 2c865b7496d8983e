-- batch_extend: KEYS = batch_leases. ARGV = visibility_ms, batch ids...
-- The heartbeat of a drain into a pipe: moves each batch's deadline to now + visibility, never
-- earlier, and only for batches still leased (a dropped batch is not started again). Returns
-- how many were extended.
check_type(KEYS[1], 'zset')
local deadline = now_ms() + tonumber(ARGV[1])
local n = 0
for i = 2, #ARGV do
  local cur = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if cur then
    if tonumber(cur) < deadline then redis.call('ZADD', KEYS[1], deadline, ARGV[i]) end
    n = n + 1
  end
end
return n

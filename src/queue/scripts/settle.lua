-- settle: KEYS = processing, leases, destination[, holders[, batch_leases, batches]].
-- ARGV = old element, new element, mode, delay_ms, nonce, only_if_expired ('1' or '0').
-- Moves one element out of processing in one step: the destination is written first, then the
-- element removed, then its lease dropped (unless another copy is still in flight). Modes:
--   retry: ZADD destination (now + delay) nonce..':'..new   (a delayed retry, the tool's own set)
--   zadd:  ZADD destination (now + delay) new               (a delayed retry in a peer's set:
--          the member is exactly the peer's format, e.g. the deployer's `_retryCount` message)
--   back:  LPUSH destination new                            (dead-letter; end of the line)
--   front: RPUSH destination new                            (next to be consumed)
-- With only_if_expired, a lease that is still alive (a heartbeat won the race) leaves the
-- element where it is, and so does a live batch lease holding it (see batch_cover). Returns
-- 'ok', 'gone' (not in processing any more) or 'alive'.
local mode = ARGV[3]
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'zset')
if KEYS[4] then check_type(KEYS[4], 'hash') end
check_type(KEYS[3], (mode == 'retry' or mode == 'zadd') and 'zset' or 'list')
local now = now_ms()
if ARGV[6] == '1' then
  -- No lease at all means the element left processing and came back since the caller looked
  -- (a fresh delivery whose consumer writes no lease): it is not the stale one.
  local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
  if not score or tonumber(score) > now then return 'alive' end
  local cover = batch_cover(KEYS[5], KEYS[6])
  if cover and cover[ARGV[1]] and cover[ARGV[1]] > now then return 'alive' end
end
if not redis.call('LPOS', KEYS[1], ARGV[1]) then return 'gone' end
if mode == 'retry' then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[5] .. ':' .. ARGV[2])
elseif mode == 'zadd' then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[2])
elseif mode == 'front' then
  redis.call('RPUSH', KEYS[3], ARGV[2])
else
  redis.call('LPUSH', KEYS[3], ARGV[2])
end
redis.call('LREM', KEYS[1], 1, ARGV[1])
release_lease(KEYS[1], KEYS[2], ARGV[1], KEYS[4])
return 'ok'

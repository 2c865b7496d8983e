-- reclaim_mint: KEYS = processing, leases (the tool's first-seen clocks), main, processed.
-- ARGV = element, idempotency key ('' when the element has none), dry_run ('1' or '0').
-- The deployer keeps no leases and no reaper: an element orphaned in its processing list stays
-- there forever. Once the tool's clock for it has expired (re-checked here, so a heartbeat of a
-- live drain wins), the exact bytes go back to the inbound head (LPUSH, as the deployer's own
-- promotions do) and leave processing in this one step; or, when the key is already in the
-- processed set (it settled, only the ack was lost), the element is only removed.
-- Returns 'requeued', 'settled', 'alive' or 'gone' (with dry_run: what would happen).
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'zset')
check_type(KEYS[3], 'list')
check_type(KEYS[4], 'set')
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if score and tonumber(score) > now_ms() then return 'alive' end
if not redis.call('LPOS', KEYS[1], ARGV[1]) then return 'gone' end
local settled = ARGV[2] ~= '' and redis.call('SISMEMBER', KEYS[4], ARGV[2]) == 1
if ARGV[3] == '1' then
  if settled then return 'settled' end
  return 'requeued'
end
if not settled then
  redis.call('LPUSH', KEYS[3], ARGV[1])
end
redis.call('LREM', KEYS[1], 1, ARGV[1])
release_lease(KEYS[1], KEYS[2], ARGV[1])
if settled then return 'settled' end
return 'requeued'

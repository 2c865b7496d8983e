-- reclaim_mint: KEYS = processing, leases (the tool's first-seen clocks), main, processed, dlq,
-- reclaims (the tool's own counter for this element: a string key with a TTL)[, holders].
-- ARGV = element, idempotency key ('' when the element has none), dry_run ('1' or '0'),
-- max reclaims, dead-letter entry (the deployer's shape, built by the caller), counter TTL (s).
-- The deployer keeps no leases and no reaper: an element orphaned in its processing list stays
-- there forever. Once the tool's clock for it has expired (re-checked here, so a heartbeat of a
-- live drain wins; an element with no clock at all left and came back since the scan, a fresh
-- delivery, and is not touched), it leaves processing in this one step:
--   settled:       its key is in the processed set (only the ack was lost): removed;
--   dead-lettered: it was already reclaimed max times (it crashes its consumer): the entry is
--                  pushed to the DLQ, as the deployer dead-letters a spent retry;
--   requeued:      otherwise the exact bytes go back to the inbound head (LPUSH), counted.
-- Returns 'requeued', 'settled', 'dead-lettered', 'alive' or 'gone' (dry run: what would happen).
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'zset')
check_type(KEYS[3], 'list')
check_type(KEYS[4], 'set')
check_type(KEYS[5], 'list')
check_type(KEYS[6], 'string')
if KEYS[7] then check_type(KEYS[7], 'hash') end
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not score or tonumber(score) > now_ms() then return 'alive' end
if not redis.call('LPOS', KEYS[1], ARGV[1]) then return 'gone' end
local settled = ARGV[2] ~= '' and redis.call('SISMEMBER', KEYS[4], ARGV[2]) == 1
local spent = tonumber(redis.call('GET', KEYS[6]) or '0') >= tonumber(ARGV[4])
local outcome = 'requeued'
if settled then outcome = 'settled' elseif spent then outcome = 'dead-lettered' end
if ARGV[3] == '1' then return outcome end
if outcome == 'requeued' then
  redis.call('LPUSH', KEYS[3], ARGV[1])
  redis.call('INCR', KEYS[6])
  redis.call('EXPIRE', KEYS[6], tonumber(ARGV[6]))
elseif outcome == 'dead-lettered' then
  redis.call('LPUSH', KEYS[5], ARGV[5])
  redis.call('DEL', KEYS[6])
else
  redis.call('DEL', KEYS[6])
end
redis.call('LREM', KEYS[1], 1, ARGV[1])
release_lease(KEYS[1], KEYS[2], ARGV[1], KEYS[7])
return outcome

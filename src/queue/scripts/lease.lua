-- lease: KEYS = processing, leases[, holders]. ARGV = element, visibility_ms[, holder].
-- Extends (or starts) the lease of an element still in processing: the heartbeat of a running
-- handler, and the lease of an element taken by a blocking move. Returns 1, or 0 when the
-- element is no longer in processing (someone reclaimed it).
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'zset')
if not redis.call('LPOS', KEYS[1], ARGV[1]) then return 0 end
if KEYS[3] then check_type(KEYS[3], 'hash') end
extend_lease(KEYS[2], ARGV[1], now_ms() + tonumber(ARGV[2]))
set_holder(KEYS[3], ARGV[1], ARGV[3])
return 1

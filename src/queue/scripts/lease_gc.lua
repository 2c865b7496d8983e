-- lease_gc: KEYS = processing, leases[, holders]. ARGV = lease members that the caller did not
-- find in processing. Drops each one's lease (and holder) only if no copy of it is in
-- processing now (LPOS): an element delivered again meanwhile keeps its lease. Returns how
-- many leases went. (reap_scan drops such leases itself when processing fits one window; this
-- is the same for longer lists, whose stale clocks would otherwise stay and be inherited by the
-- next delivery of the same bytes.)
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'zset')
if KEYS[3] then check_type(KEYS[3], 'hash') end
local dropped = 0
for i = 1, #ARGV do
  if redis.call('ZSCORE', KEYS[2], ARGV[i]) and not redis.call('LPOS', KEYS[1], ARGV[i]) then
    redis.call('ZREM', KEYS[2], ARGV[i])
    drop_holder(KEYS[3], ARGV[i])
    dropped = dropped + 1
  end
end
return dropped

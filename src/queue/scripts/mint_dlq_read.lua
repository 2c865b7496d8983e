-- mint_dlq_read: KEYS = dlq. ARGV = from ('oldest' or 'newest'), offset, count.
-- Reads without changing anything, in one atomic step: the list's length, the server clock
-- (ms) and up to count entries starting offset from that end, in the list's order from that
-- end (oldest first, or newest first). The length read with the entries gives each its index
-- as the deployer's DLQ tool numbers them (#0 = the newest).
local dlq = KEYS[1]
local offset, count = tonumber(ARGV[2]), tonumber(ARGV[3])
local len = redis.call('LLEN', dlq)
local items
if ARGV[1] == 'newest' then
  items = redis.call('LRANGE', dlq, offset, offset + count - 1)
else
  local got = redis.call('LRANGE', dlq, -(offset + count), -(offset + 1))
  items = {}
  for i = #got, 1, -1 do items[#items + 1] = got[i] end
end
return {len, now_ms(), items}

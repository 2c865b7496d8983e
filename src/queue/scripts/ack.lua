-- ack: KEYS = processing, leases[, holders[, counts]].
-- ARGV = n, then n elements in the order they were claimed, then optionally their n holder
-- fields (the SHA-1s the claim returned; without them each is hashed here).
-- Removes each element from processing and drops its lease (and holder) unless another copy
-- of the same bytes is still in flight. With counts (a HASH, `migrate`'s occurrence counters),
-- each element acked adds one to its SHA-1's field, in the same step. Returns one 1 (acked) or 0 (was not there) per element.
-- Each element is removed by value, scanning from the tail (LREM -1): a batch is claimed oldest
-- first onto the head, so in the common case (one consumer acking a whole claim) each is found
-- at the first comparison. (Cutting such a batch off with one LTRIM after comparing it with an
-- LRANGE of the tail cost more: every element read into Lua is hashed byte by byte again.)
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'zset')
local holders = KEYS[3]
if holders then check_type(holders, 'hash') end
local counts = KEYS[4]
if counts then
  check_type(counts, 'hash')
  -- The count goes up after the removals: refused by an ACL then, it would leave them done
  -- and the count behind (the next equal message would take this one's name). Asked first.
  if redis.acl_check_cmd and not redis.acl_check_cmd('HINCRBY', counts, 'f', '1') then
    return redis.error_reply('NOPERM this user has no permissions to run the \'hincrby\' command')
  end
end
local n = tonumber(ARGV[1])
local given = #ARGV >= 2 * n + 1
local function digest(i)
  if given then return ARGV[n + 1 + i] end
  return redis.sha1hex(ARGV[i + 1])
end
local out = {}
for i = 1, n do
  out[i] = redis.call('LREM', KEYS[1], -1, ARGV[i + 1])
end
-- The acked whose lease goes: all of them once processing is empty, else those of which no
-- other copy is left in processing (the same bytes delivered twice).
local empty = redis.call('LLEN', KEYS[1]) == 0
local gone = {}
for i = 1, n do
  if out[i] > 0 and (empty or not redis.call('LPOS', KEYS[1], ARGV[i + 1])) then gone[#gone + 1] = i end
end
local i = 1
while i <= #gone do
  local j = math.min(i + 499, #gone)
  local members, fields = {}, {}
  for k = i, j do
    members[#members + 1] = ARGV[gone[k] + 1]
    if holders then fields[#fields + 1] = digest(gone[k]) end
  end
  redis.call('ZREM', KEYS[2], unpack(members))
  if holders then redis.call('HDEL', holders, unpack(fields)) end
  i = j + 1
end
if counts then
  for i = 1, n do
    if out[i] > 0 then redis.call('HINCRBY', counts, digest(i), 1) end
  end
end
return out

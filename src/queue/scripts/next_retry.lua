-- next_retry: KEYS = retry. ARGV = mode ('nonce' or 'mint'). Returns milliseconds until the
-- earliest delayed retry this profile can promote is due (0 when one is due now), or -1 when
-- none waits. Members not in the profile's format are passed over (among the first 100). On
-- the server's clock, from the node holding the key.
check_type(KEYS[1], 'zset')
local lo = '-inf'
if ARGV[1] == 'mint' then lo = 0 end
local first = redis.call('ZRANGEBYSCORE', KEYS[1], lo, '+inf', 'WITHSCORES', 'LIMIT', 0, 100)
for i = 1, #first, 2 do
  if retry_member_ok(ARGV[1], first[i]) then
    return math.max(0, tonumber(first[i + 1]) - now_ms())
  end
end
return -1

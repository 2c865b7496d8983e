-- next_retry: KEYS = retry. Returns milliseconds until the earliest delayed retry is due (0 when
-- one is due now), or -1 when none waits. On the server's clock, from the node holding the key.
check_type(KEYS[1], 'zset')
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #first == 0 then return -1 end
return math.max(0, tonumber(first[2]) - now_ms())

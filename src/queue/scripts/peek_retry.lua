-- peek_retry: KEYS = retry. ARGV = limit, latest_first ('1' or '0').
-- Returns {zcard, now_ms, member1, score1, member2, score2, ...}: the soonest due first (or the
-- latest), on the server's clock. Reads only (a script, not a MULTI: it runs on a cluster too).
check_type(KEYS[1], 'zset')
local out = {redis.call('ZCARD', KEYS[1]), now_ms()}
local limit = tonumber(ARGV[1])
if limit > 0 then
  local cmd = 'ZRANGE'
  if ARGV[2] == '1' then cmd = 'ZREVRANGE' end
  local got = redis.call(cmd, KEYS[1], 0, limit - 1, 'WITHSCORES')
  for i = 1, #got do out[#out + 1] = got[i] end
end
return out

-- flow (top's in/out rates): KEYS = the main list. ARGV = the head element seen last time ('' and
-- ARGV[2] = '0' when none was seen), the most elements LPOS may look at.
-- Returns {llen, now_ms, index from the head of the last seen head element or false, the head
-- now or false}, in one atomic read. Reads only.
check_type(KEYS[1], 'list')
local len = redis.call('LLEN', KEYS[1])
local pos = false
if ARGV[2] == '1' then
  pos = redis.call('LPOS', KEYS[1], ARGV[1], 'MAXLEN', tonumber(ARGV[3]))
end
return {len, now_ms(), pos, redis.call('LINDEX', KEYS[1], 0)}

-- peek: KEYS = the list. ARGV = start, stop (LRANGE indexes).
-- Returns {llen, now_ms, elements...}. Reads only.
check_type(KEYS[1], 'list')
local out = {redis.call('LLEN', KEYS[1]), now_ms()}
local els = redis.call('LRANGE', KEYS[1], ARGV[1], ARGV[2])
for i = 1, #els do out[#out + 1] = els[i] end
return out

-- flow: KEYS = main. ARGV = the head element seen by the previous call ('' for none),
-- max elements to search for it. Returns {llen, now_ms, index of that element from the head
-- (-1 when not found within the bound), the head element now (or false)}. Reads only.
-- Producers push at the head: the previous head's index now is how many were pushed since.
check_type(KEYS[1], 'list')
local len = redis.call('LLEN', KEYS[1])
local idx = -1
if ARGV[1] ~= '' and len > 0 then
  local p = redis.call('LPOS', KEYS[1], ARGV[1], 'MAXLEN', tonumber(ARGV[2]))
  if p then idx = p end
end
local head = redis.call('LINDEX', KEYS[1], 0)
return {len, now_ms(), idx, head}

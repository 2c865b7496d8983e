-- promote: KEYS = retry, main. ARGV = limit.
-- Moves up to limit due retries (score <= now) to the back of main, each in this one step.
-- Members are a 32-hex nonce, ':', then the element: the nonce keeps identical envelopes apart.
check_type(KEYS[1], 'zset')
check_type(KEYS[2], 'list')
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms(), 'LIMIT', 0, tonumber(ARGV[1]))
for i = 1, #due do
  redis.call('LPUSH', KEYS[2], string.sub(due[i], 34))
  redis.call('ZREM', KEYS[1], due[i])
end
return #due

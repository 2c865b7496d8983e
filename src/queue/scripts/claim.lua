-- claim: KEYS = main, processing, leases, retry. ARGV = n, visibility_ms, promote_limit.
-- First moves up to promote_limit due retries (score <= now) to the back of main, as
-- promote.lua does. Then moves up to n elements from the consumer end of main to processing,
-- in the order RPOPLPUSH would (oldest first), and records each one's lease (member = the
-- element itself, score = deadline on the server clock), in one step. An element already
-- leased (the same bytes delivered twice) keeps the later deadline.
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'list')
check_type(KEYS[3], 'zset')
check_type(KEYS[4], 'zset')
local now = now_ms()
local limit = tonumber(ARGV[3])
if limit > 0 then
  local due = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, limit)
  for i = 1, #due do
    redis.call('LPUSH', KEYS[1], string.sub(due[i], 34))
    redis.call('ZREM', KEYS[4], due[i])
  end
end
local deadline = now + tonumber(ARGV[2])
local n = tonumber(ARGV[1])
if n <= 1 then
  local e = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
  if not e then return {} end
  extend_lease(KEYS[3], e, deadline)
  return {e}
end
-- Many: the n oldest in three commands, not n RPOPLPUSH calls.
local got = redis.call('LRANGE', KEYS[1], -n, -1)
if #got == 0 then return {} end
redis.call('LTRIM', KEYS[1], 0, -#got - 1)
local out = {}
for i = #got, 1, -1 do
  out[#out + 1] = got[i]
end
local gt = (redis.REDIS_VERSION_NUM or 0) >= 0x060200
local i = 1
while i <= #out do
  local j = math.min(i + 499, #out)
  redis.call('LPUSH', KEYS[2], unpack(out, i, j))
  if gt then
    local args = {}
    for k = i, j do
      args[#args + 1] = deadline
      args[#args + 1] = out[k]
    end
    redis.call('ZADD', KEYS[3], 'GT', unpack(args))
  else
    for k = i, j do
      extend_lease(KEYS[3], out[k], deadline)
    end
  end
  i = j + 1
end
return out

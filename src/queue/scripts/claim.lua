-- claim: KEYS = main, processing, leases, retry[, holders].
-- ARGV = n, visibility_ms, promote_limit, mode[, holder ('host:pid', '' for none)].
-- First moves up to promote_limit due retries (score <= now) to the back of main, as
-- promote.lua does (members not in the profile's format, mode 'nonce' or 'mint', stay where
-- they are). Then moves up to n elements from the consumer end of main to processing, in the
-- order RPOPLPUSH would (oldest first, onto the head of processing, as the deployer's
-- BRPOPLPUSH does), and records each one's lease (member = the element itself, score =
-- deadline on the server clock), in one step. An element already leased (the same bytes
-- delivered twice) keeps the later deadline. With a holder, each element's holder field (its
-- SHA-1) is set in the same step. Returns {foreign, digests, elements...}: digests is the
-- table of those SHA-1s in the order of the elements (empty without a holder), so the ack
-- can drop the holders without hashing every element again.
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'list')
check_type(KEYS[3], 'zset')
check_type(KEYS[4], 'zset')
local holders, who = KEYS[5], ARGV[5]
if holders then check_type(holders, 'hash') end
local now = now_ms()
local limit = tonumber(ARGV[3])
local foreign = 0
if limit > 0 then
  local _
  _, foreign = promote_due(KEYS[4], KEYS[1], limit, ARGV[4], now)
end
local deadline = now + tonumber(ARGV[2])
local n = tonumber(ARGV[1])
if n <= 1 then
  local e = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
  if not e then return {foreign} end
  extend_lease(KEYS[3], e, deadline)
  if holders and who and who ~= '' then
    local d = redis.sha1hex(e)
    redis.call('HSET', holders, d, who)
    return {foreign, {d}, e}
  end
  return {foreign, {}, e}
end
-- Many: the n oldest in three commands, not n RPOPLPUSH calls.
local got = redis.call('LRANGE', KEYS[1], -n, -1)
if #got == 0 then return {foreign} end
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
-- Holders: one HSET per 500 elements, not one call per element.
local digests = {}
if holders and who and who ~= '' then
  local i = 1
  while i <= #out do
    local j = math.min(i + 499, #out)
    local args = {}
    for k = i, j do
      local d = redis.sha1hex(out[k])
      digests[k] = d
      args[#args + 1] = d
      args[#args + 1] = who
    end
    redis.call('HSET', holders, unpack(args))
    i = j + 1
  end
end
local reply = {foreign, digests}
for i = 1, #out do reply[i + 2] = out[i] end
return reply

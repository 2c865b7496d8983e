-- migrate_push: KEYS = main, journal (the tool's own HASH: token -> 1).
-- ARGV = n, then n tokens, then n elements (consumption order).
-- `migrate` into Redis: pushes each element whose token (the SQS MessageId of the message it
-- was received as) is not in the journal yet, and records the token, in one step; an element
-- whose token is there was pushed by an earlier run of this migration that died before its
-- delete on SQS, so it is not pushed again. Equal bytes under another token are another
-- message and are pushed. Returns one 1 (pushed) or 0 (already pushed) per element.
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'hash')
local n = tonumber(ARGV[1])
local out, fresh = {}, {}
for i = 1, n do
  local token = ARGV[1 + i]
  if redis.call('HMGET', KEYS[2], token)[1] then
    out[i] = 0
  else
    out[i] = 1
    fresh[#fresh + 1] = i
  end
end
local i = 1
while i <= #fresh do
  local j = math.min(i + 499, #fresh)
  local elements, fields = {}, {}
  for k = i, j do
    elements[#elements + 1] = ARGV[1 + n + fresh[k]]
    fields[#fields + 1] = ARGV[1 + fresh[k]]
    fields[#fields + 1] = '1'
  end
  redis.call('HSET', KEYS[2], unpack(fields))
  redis.call('LPUSH', KEYS[1], unpack(elements))
  i = j + 1
end
return out

-- dlq_page: KEYS = dlq. ARGV = offset (from the tail), count.
-- Returns the list's length, the server clock (ms), then up to `count` entries starting
-- `offset` entries from the tail (the oldest end), oldest first.
local len = redis.call('LLEN', KEYS[1])
local off = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local out = {len, now_ms()}
if off < len then
  local page = redis.call('LRANGE', KEYS[1], -(off + count), -(off + 1))
  for i = #page, 1, -1 do
    out[#out + 1] = page[i]
  end
end
return out

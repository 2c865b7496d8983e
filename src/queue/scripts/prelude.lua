-- Shared by every script (prepended at build time). Keys always come in KEYS; nothing here
-- builds a key name. A script checks the type of every key it will write before its first
-- write, because Redis does not roll back a script that fails halfway.
local function check_type(key, want)
  local t = redis.call('TYPE', key)['ok']
  if t ~= 'none' and t ~= want then
    error({err = 'WRONGTYPE key ' .. key .. ' holds a ' .. t .. ', expected a ' .. want})
  end
end

-- Milliseconds on the server's clock (never the client's: operators' clocks are skewed).
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Pushes ARGV[first..last] onto a list in chunks small enough for unpack's stack limit.
local function push_range(cmd, key, first, last)
  local i = first
  while i <= last do
    local j = math.min(i + 499, last)
    redis.call(cmd, key, unpack(ARGV, i, j))
    i = j + 1
  end
end

-- Sets a lease deadline, keeping the later one when the member already has a lease (the same
-- bytes can be in flight twice). ZADD GT would do this, but needs Redis 6.2.
local function extend_lease(leases, element, deadline)
  local cur = redis.call('ZSCORE', leases, element)
  if not cur or tonumber(cur) < deadline then
    redis.call('ZADD', leases, deadline, element)
  end
end

-- Drops an element's lease once no copy of it is left in processing.
local function release_lease(processing, leases, element)
  if not redis.call('LPOS', processing, element) then
    redis.call('ZREM', leases, element)
  end
end

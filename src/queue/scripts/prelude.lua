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

-- Who holds an element's lease (informational, shown by peek and message inspect): the tool's
-- own HASH, field = the element's SHA-1, value = the consumer ('host:pid'). Written with the
-- lease by a consumer that names itself; dropped with the lease.
local function set_holder(holders, element, who)
  if holders and who and who ~= '' then
    redis.call('HSET', holders, redis.sha1hex(element), who)
  end
end

local function drop_holder(holders, element)
  if holders then
    redis.call('HDEL', holders, redis.sha1hex(element))
  end
end

-- Drops an element's lease (and its holder) once no copy of it is left in processing.
local function release_lease(processing, leases, element, holders)
  if not redis.call('LPOS', processing, element) then
    redis.call('ZREM', leases, element)
    drop_holder(holders, element)
  end
end

-- Whether a member of a retry set is one this profile's promotion understands:
--   'nonce': the tool's own envelope retries, a 32-hex nonce, ':', then the element;
--   'mint':  the deployer's, the whole message as a JSON object (promoted as it is).
-- Anything else (a peer's member, a hand-written one) is left in place, never cut or moved.
local NONCE = '^' .. string.rep('%x', 32) .. ':'
local function retry_member_ok(mode, m)
  if mode == 'mint' then
    if string.sub(m, 1, 1) ~= '{' then return false end
    local ok, v = pcall(cjson.decode, m)
    return ok and type(v) == 'table'
  end
  return string.find(m, NONCE) ~= nil
end

-- The element a recognised retry member stands for.
local function retry_element(mode, m)
  if mode == 'mint' then return m end
  return string.sub(m, 34)
end

-- Moves up to limit due retries (score <= now; the deployer's own promotion starts at score 0,
-- so the mint profile does too) to the producer end of main (LPUSH), oldest due first, each
-- removed from the retry set in the same step. Returns promoted, foreign (due members left in
-- place because they are not in the profile's format).
local function promote_due(retry, main, limit, mode, now)
  local lo = '-inf'
  if mode == 'mint' then lo = 0 end
  local promoted, foreign, offset = 0, 0, 0
  while promoted < limit do
    local due = redis.call('ZRANGEBYSCORE', retry, lo, now, 'LIMIT', offset, limit - promoted)
    if #due == 0 then break end
    for i = 1, #due do
      if retry_member_ok(mode, due[i]) then
        redis.call('LPUSH', main, retry_element(mode, due[i]))
        redis.call('ZREM', retry, due[i])
        promoted = promoted + 1
      else
        foreign = foreign + 1
        offset = offset + 1
      end
    end
  end
  return promoted, foreign
end

-- The batch leases of drains into pipes (issue 16): a ZSET batch id -> deadline, and a HASH
-- batch id -> the batch's elements, each as '<length>\n<bytes>'. Returns nil when there is no
-- batch at all (the common case costs one ZCARD), else a table element -> the latest deadline
-- among the batches holding it. Only those readers that decide an element's fate look
-- (reap's scan, settle's only-if-expired check): no element lease is written for a batch.
local function batch_cover(batch_leases, batches)
  if not batch_leases or not batches then return nil end
  check_type(batch_leases, 'zset')
  check_type(batches, 'hash')
  if redis.call('ZCARD', batch_leases) == 0 then return nil end
  local cover = {}
  local ids = redis.call('ZRANGE', batch_leases, 0, -1, 'WITHSCORES')
  for i = 1, #ids, 2 do
    local deadline = tonumber(ids[i + 1])
    local blob = redis.call('HGET', batches, ids[i])
    if blob then
      local p, n = 1, #blob
      while p <= n do
        local nl = string.find(blob, '\n', p, true)
        if not nl then break end
        local len = tonumber(string.sub(blob, p, nl - 1))
        if not len then break end
        local e = string.sub(blob, nl + 1, nl + len)
        if not cover[e] or cover[e] < deadline then cover[e] = deadline end
        p = nl + len + 1
      end
    end
  end
  return cover
end

-- reap_scan: KEYS = processing, leases[, holders[, batch_leases, batches]].
-- ARGV = visibility_ms, start, stop, adopt ('1'/'0').
-- Looks at processing[start..stop]. An element without a lease (taken by a consumer that does
-- not write leases, e.g. the platform's own) is adopted: its clock starts now (ZADD NX, so a
-- concurrent claim's lease wins). Returns {llen, adopted, next_deadline_ms or -1, expired...}
-- where expired lists each element (each copy) whose lease deadline has passed. When the whole
-- list was scanned, leases whose element is gone (acked by a lease-unaware consumer) are dropped.
-- An element a live batch lease covers (a drain into a pipe, see batch_cover) is neither
-- adopted nor expired; one whose batch expired takes the batch's deadline as its clock and is
-- expired at once. Batches expired for an hour, or (whole list scanned) expired with none of
-- their elements left, are dropped.
check_type(KEYS[1], 'list')
check_type(KEYS[2], 'zset')
if KEYS[3] then check_type(KEYS[3], 'hash') end
local now = now_ms()
local len = redis.call('LLEN', KEYS[1])
local els = redis.call('LRANGE', KEYS[1], ARGV[2], ARGV[3])
local adopted, next_deadline = 0, -1
local expired, present = {}, {}
local cover = batch_cover(KEYS[4], KEYS[5])
for i = 1, #els do
  present[els[i]] = true
  local held = cover and cover[els[i]]
  if held and held > now then
    if next_deadline < 0 or held < next_deadline then next_deadline = held end
  else
    local score = redis.call('ZSCORE', KEYS[2], els[i])
    if not score and held then
      -- Its batch expired (the drain died or stalled): the batch's deadline is its clock.
      if ARGV[4] == '1' then redis.call('ZADD', KEYS[2], 'NX', held, els[i]) end
      expired[#expired + 1] = els[i]
    elseif not score then
      adopted = adopted + 1
      if ARGV[4] == '1' then
        redis.call('ZADD', KEYS[2], 'NX', now + tonumber(ARGV[1]), els[i])
      end
    elseif tonumber(score) <= now then
      expired[#expired + 1] = els[i]
    elseif next_deadline < 0 or tonumber(score) < next_deadline then
      next_deadline = tonumber(score)
    end
  end
end
if cover and ARGV[4] == '1' then
  local whole = tonumber(ARGV[2]) == 0 and #els == len
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)) do
    local gone = tonumber(redis.call('ZSCORE', KEYS[4], id)) < now - 3600000
    if not gone and whole then
      gone = true
      local blob = redis.call('HGET', KEYS[5], id) or ''
      local p = 1
      while p <= #blob do
        local nl = string.find(blob, '\n', p, true)
        if not nl then break end
        local l = tonumber(string.sub(blob, p, nl - 1)) or 0
        if present[string.sub(blob, nl + 1, nl + l)] then gone = false break end
        p = nl + l + 1
      end
    end
    if gone then
      redis.call('ZREM', KEYS[4], id)
      redis.call('HDEL', KEYS[5], id)
    end
  end
end
if ARGV[4] == '1' and tonumber(ARGV[2]) == 0 and #els == len then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    if not present[member] then
      redis.call('ZREM', KEYS[2], member)
      drop_holder(KEYS[3], member)
    end
  end
  -- Holders of elements no longer leased (a copy acknowledged by a consumer that keeps no
  -- holders): dropped. Only when the whole list fits this one window, as for the leases above.
  if KEYS[3] and redis.call('HLEN', KEYS[3]) > 0 then
    local live = {}
    for member, _ in pairs(present) do live[redis.sha1hex(member)] = true end
    for _, field in ipairs(redis.call('HKEYS', KEYS[3])) do
      if not live[field] then redis.call('HDEL', KEYS[3], field) end
    end
  end
end
local out = {len, adopted, next_deadline}
for i = 1, #expired do out[#out + 1] = expired[i] end
return out

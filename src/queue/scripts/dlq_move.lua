-- dlq_move: KEYS = dlq, destination list, replays hash (for a purge: the dlq, its record key
-- (or the dlq again), the dlq).
-- ARGV = mode ('replay' or 'delete'), tombstone, max_replays (a purge: the export line number of
-- its first entry, 0 = no record), force ('1' or '0'; a purge: how long the record is kept, in
-- seconds), n, then n hints (each entry's index counted from the tail when it was read), n
-- entries (their exact bytes), and for a replay n new elements (what to push) and n counter
-- fields ('' = none).
-- Each kind is contiguous so that a whole run goes to a command with one unpack.
-- Returns one status per entry: 1 moved/deleted, 0 gone (not in the DLQ any more: nothing
-- done), 2 refused by the replay limit (left in the DLQ); then 1 when the fast path ran, 0 when
-- the list had moved under the caller (another client removed entries).
-- A purge with a record key sets it, in the same atomic step, to '<first line>:<one 1 or 0 per
-- entry>' (deleted or not): an export whose process died before it wrote the batch's outcome
-- down can still be imported exactly.
--
-- Fast path (nobody else touched the DLQ since the read): one LRANGE shows every entry at its
-- hint; counters are read with one HMGET and written with one HSET, the destination gets one
-- LPUSH per 500, and entries that form the tail of the list go with one LTRIM (others are
-- replaced in place by a tombstone no entry can equal, then one LREM removes the tombstones).
-- Slow path (the list moved): each entry is searched for (LPOS from the tail) and tombstoned
-- as it is found, so duplicates and shifted entries are each matched once.
-- Every key's type is checked before the first write; the destination is written before the
-- DLQ entry is removed (fast path), or in the same atomic step (slow path). Nobody sees a tombstone: the script is atomic.
--
-- Mode 'import' (dlq import): KEYS = dlq, progress key. ARGV = 'import', marker, expected
-- previous marker ('' = the progress key must not exist yet), how long the marker is kept
-- (seconds), n, then n checks, then n entries. Pushes the entries in order (LPUSH: the first
-- given ends up oldest); an entry whose check k is not 0 is pushed only if the DLQ holds fewer
-- than k copies of its bytes (LPOS ... COUNT k). Records the marker in the same step, only if
-- the progress key held the expected one (else an OUTOFORDER error, nothing pushed). Returns
-- one status per entry: 1 pushed, 0 left out.
if ARGV[1] == 'import' then
  local dlq, progress = KEYS[1], KEYS[2]
  local marker, expected, keep, n = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
  check_type(dlq, 'list')
  check_type(progress, 'string')
  local current = redis.call('GET', progress) or ''
  if current ~= expected then
    return redis.error_reply('OUTOFORDER progress of this import is at line ' .. current .. ', not ' .. expected)
  end
  local C, E = 5, 5 + n
  local status = {}
  local run_first = nil
  local function flush_run(last)
    if run_first then
      push_range('LPUSH', dlq, E + run_first, E + last)
      run_first = nil
    end
  end
  for i = 1, n do
    local k = tonumber(ARGV[C + i])
    if k == 0 then
      if not run_first then run_first = i end
      status[i] = 1
    else
      flush_run(i - 1)
      local e = ARGV[E + i]
      local found = redis.call('LPOS', dlq, e, 'RANK', -1, 'COUNT', k)
      if #found < k then
        redis.call('LPUSH', dlq, e)
        status[i] = 1
      else
        status[i] = 0
      end
    end
  end
  flush_run(n)
  redis.call('SET', progress, marker, 'EX', keep)
  return status
end

local dlq, dest, replays = KEYS[1], KEYS[2], KEYS[3]
local replay = ARGV[1] == 'replay'
local tomb = ARGV[2]
local max_replays = tonumber(ARGV[3])
local force = ARGV[4] == '1'
local n = tonumber(ARGV[5])
-- A purge's record key comes second.
local record = nil
if not replay and ARGV[3] ~= '0' then
  record = dest
  check_type(record, 'string')
end
check_type(dlq, 'list')
if replay then
  check_type(dest, 'list')
  check_type(replays, 'hash')
end
local H, E, N, F = 6, 6 + n, 6 + 2 * n, 6 + 3 * n
local function hint(i) return tonumber(ARGV[H + i]) end
local function entry(i) return ARGV[E + i] end
local function new(i) return ARGV[N + i] end
local function field(i) return ARGV[F + i] end
local CHUNK = 4000 -- arguments per unpack, well inside Lua's C stack

local status = {}
local idx = {}

-- 1. Where is each entry?
local len = redis.call('LLEN', dlq)
local lo, hi = math.huge, -1
for i = 0, n - 1 do
  local h = hint(i)
  if h < lo then lo = h end
  if h > hi then hi = h end
end
local fast = n > 0 and hi < len
if fast then
  local span = redis.call('LRANGE', dlq, -(hi + 1), -(lo + 1))
  local top = #span
  for i = 0, n - 1 do
    local h = hint(i)
    if span[top - (h - lo)] ~= entry(i) then fast = false break end
    idx[i] = -h - 1
  end
end

-- 2. The replay limit: one HMGET per CHUNK fields, counting duplicates within the batch.
local counts = {}
if replay then
  for c = 0, n - 1, CHUNK do
    local last = math.min(c + CHUNK - 1, n - 1)
    local got = redis.call('HMGET', replays, unpack(ARGV, F + c, F + last))
    for i = c, last do
      local f = field(i)
      if counts[f] == nil then counts[f] = tonumber(got[i - c + 1] or '0') end
    end
  end
end
local function allowed(i)
  if not replay or force then return true end
  local f = field(i)
  return f == '' or counts[f] < max_replays
end

-- What a purge did, for its export (before the status of the fast path is appended).
local function write_record()
  if record then
    local s = {}
    for i = 1, n do
      if status[i] == 1 then s[i] = '1' else s[i] = '0' end
    end
    redis.call('SET', record, ARGV[3] .. ':' .. table.concat(s), 'EX', tonumber(ARGV[4]))
  end
end

-- 3. Writes.
local taken = {}
local removed = 0
local function take(i)
  if replay then
    local f = field(i)
    if f ~= '' then counts[f] = counts[f] + 1 end
  end
  removed = removed + 1
  taken[#taken + 1] = i
end
local function flush_writes()
  if not replay or removed == 0 then return end
  if removed == n then
    for c = 0, n - 1, CHUNK do
      redis.call('LPUSH', dest, unpack(ARGV, N + c, N + math.min(c + CHUNK - 1, n - 1)))
    end
  else
    local pushed = {}
    for k = 1, #taken do pushed[k] = new(taken[k]) end
    for c = 1, #pushed, CHUNK do
      redis.call('LPUSH', dest, unpack(pushed, c, math.min(c + CHUNK - 1, #pushed)))
    end
  end
  local pairs_ = {}
  for k = 1, #taken do
    local f = field(taken[k])
    if f ~= '' then
      pairs_[#pairs_ + 1] = f
      pairs_[#pairs_ + 1] = counts[f]
    end
  end
  for c = 1, #pairs_, CHUNK do
    redis.call('HSET', replays, unpack(pairs_, c, math.min(c + CHUNK - 1, #pairs_)))
  end
end

if fast then
  local tail_run = true -- the taken entries are exactly the `removed` oldest ones
  local taken_hints = {}
  for i = 0, n - 1 do
    if allowed(i) then
      status[i + 1] = 1
      take(i)
      taken_hints[hint(i)] = true
    else
      status[i + 1] = 2
    end
  end
  for h = 0, removed - 1 do
    if not taken_hints[h] then tail_run = false break end
  end
  flush_writes()
  if removed > 0 then
    if tail_run then
      redis.call('LTRIM', dlq, 0, -(removed + 1))
    else
      for i = 0, n - 1 do
        if status[i + 1] == 1 then redis.call('LSET', dlq, idx[i], tomb) end
      end
      redis.call('LREM', dlq, -removed, tomb)
    end
  end
  write_record()
  status[n + 1] = 1
  return status
end

-- Slow path.
for i = 0, n - 1 do
  local at = -hint(i) - 1
  if redis.call('LINDEX', dlq, at) ~= entry(i) then
    at = redis.call('LPOS', dlq, entry(i), 'RANK', -1)
  end
  if not at then
    status[i + 1] = 0
  elseif not allowed(i) then
    status[i + 1] = 2
  else
    status[i + 1] = 1
    take(i)
    redis.call('LSET', dlq, at, tomb)
  end
end
flush_writes()
if removed > 0 then
  redis.call('LREM', dlq, -removed, tomb)
end
write_record()
status[n + 1] = 0
return status

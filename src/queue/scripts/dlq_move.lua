-- dlq_move: KEYS = dlq, destination list, replays hash (for a purge: the dlq three times).
-- ARGV = mode ('replay' or 'delete'), tombstone, max_replays, force ('1' or '0'), n, then n
-- groups of 4: hint (the entry's index counted from the tail when it was read), entry (its
-- exact bytes), new element (replay: what to push), counter field ('' = no replay counter).
-- Each entry is first found where it was read (LINDEX at the hint) or, when the list moved
-- under us, anywhere (LPOS from the tail); an entry no longer there is reported 'gone' and
-- nothing happens to it. For a found entry the destination is written first, then the entry
-- replaced in place by a tombstone that no entry can equal; one LREM at the end removes every
-- tombstone (scanning from the tail only as deep as the deepest one). Nobody sees a tombstone:
-- the script is atomic, and every key type is checked before the first write.
-- Returns one status per entry: 1 moved/deleted, 0 gone, 2 refused by the replay limit.
local dlq, dest, replays = KEYS[1], KEYS[2], KEYS[3]
local replay = ARGV[1] == 'replay'
local tomb = ARGV[2]
local max_replays = tonumber(ARGV[3])
local force = ARGV[4] == '1'
local n = tonumber(ARGV[5])
check_type(dlq, 'list')
if replay then
  check_type(dest, 'list')
  check_type(replays, 'hash')
end
local out = {}
local removed = 0
for i = 0, n - 1 do
  local base = 6 + i * 4
  local hint = tonumber(ARGV[base])
  local entry = ARGV[base + 1]
  local idx = -hint - 1
  if redis.call('LINDEX', dlq, idx) ~= entry then
    idx = redis.call('LPOS', dlq, entry, 'RANK', -1)
  end
  local status = 0
  if idx then
    status = 1
    if replay then
      local field = ARGV[base + 3]
      if field ~= '' and not force then
        local count = tonumber(redis.call('HGET', replays, field) or '0')
        if count >= max_replays then status = 2 end
      end
      if status == 1 then
        redis.call('LPUSH', dest, ARGV[base + 2])
        if field ~= '' then redis.call('HINCRBY', replays, field, 1) end
      end
    end
    if status == 1 then
      redis.call('LSET', dlq, idx, tomb)
      removed = removed + 1
    end
  end
  out[i + 1] = status
end
if removed > 0 then
  redis.call('LREM', dlq, -removed, tomb)
end
return out

-- mint_dlq_discard: KEYS = dlq, audit. ARGV = n, then 3 per entry: hint (as in
-- mint_dlq_replay.lua), the entry's exact bytes, the audit record.
-- Per entry: LREM dlq 1 <entry>; only when that removed it, LPUSH audit <record> -> 1; else
-- (gone: someone else replayed or discarded it first) nothing -> 0. Both key types are checked
-- before the first write; the LREM's result gates the audit push (see mint_dlq_replay.lua).
-- Returns one status per entry, then 1 when every entry was where its hint said.
local dlq, audit = KEYS[1], KEYS[2]
check_type(dlq, 'list')
check_type(audit, 'list')
local n = tonumber(ARGV[1])
local status = {}
local undisturbed = 1
local shift = 0
for i = 0, n - 1 do
  local b = 2 + i * 3
  local hint, entry, record = tonumber(ARGV[b]), ARGV[b + 1], ARGV[b + 2]
  if redis.call('LINDEX', dlq, -(hint - shift) - 1) ~= entry then undisturbed = 0 end
  if redis.call('LREM', dlq, 1, entry) == 1 then
    redis.call('LPUSH', audit, record)
    status[i + 1] = 1
    shift = shift + 1
  else
    status[i + 1] = 0
  end
end
status[n + 1] = undisturbed
return status

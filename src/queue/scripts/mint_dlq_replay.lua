-- mint_dlq_replay: KEYS = dlq, main (the deployer's inbound list), audit, processed.
-- ARGV = force ('1' or '0'), n, then 6 per entry: hint (its index counted from the oldest end
-- when read, less the entries this run removed below it since), the entry's exact bytes, the
-- payload to push, the audit record, the idempotency key ('' when none), the deadline (unix
-- seconds; '0' when none).
-- Per entry, in order: gone (not in the DLQ any more) -> 0, nothing done; unless force, key in
-- the processed set -> 2, deadline passed on the server's clock -> 3, left in place; else
-- LREM dlq 1 <entry>, and only when that removed it: LPUSH main <payload>, LPUSH audit
-- <record> -> 1. A second operator replaying the same entry finds it gone: one push, ever.
-- The house rule "write the destination before removing the source" guards against a script
-- failing halfway. Here every key's type is checked before the first write, and the pushes
-- cannot fail after the LREM; the LREM's result has to gate the pushes, so it comes first
-- (the script is atomic: nobody sees the state in between).
-- Returns one status per entry, then 1 when every entry was where its hint said (0: another
-- client removed entries meanwhile; the caller goes over the list again).
local dlq, main, audit, processed = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
check_type(dlq, 'list')
check_type(main, 'list')
check_type(audit, 'list')
check_type(processed, 'set')
local force = ARGV[1] == '1'
local n = tonumber(ARGV[2])
local now = now_ms()
local status = {}
local undisturbed = 1
local shift = 0
for i = 0, n - 1 do
  local b = 3 + i * 6
  local hint, entry, payload, record, key, deadline =
    tonumber(ARGV[b]), ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4], tonumber(ARGV[b + 5])
  local here = redis.call('LINDEX', dlq, -(hint - shift) - 1) == entry
  if not here then undisturbed = 0 end
  if not here and not redis.call('LPOS', dlq, entry) then
    status[i + 1] = 0
  elseif not force and key ~= '' and redis.call('SISMEMBER', processed, key) == 1 then
    status[i + 1] = 2
  elseif not force and deadline > 0 and deadline * 1000 <= now then
    status[i + 1] = 3
  elseif redis.call('LREM', dlq, 1, entry) == 1 then
    redis.call('LPUSH', main, payload)
    redis.call('LPUSH', audit, record)
    status[i + 1] = 1
    shift = shift + 1
  else
    status[i + 1] = 0
  end
end
status[n + 1] = undisturbed
return status

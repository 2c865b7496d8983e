-- msg_move: one message, found by the caller (`message delete | dead-letter | requeue`), removed
-- from where it is and, for a move, written where it goes, in one step.
-- KEYS = source (main, processing or the DLQ: a LIST; the retry set: a ZSET), leases (ZSET),
--        destination (dead-letter: the DLQ; requeue: main; delete: the audit LIST when a record
--        is written, else the source again)[, holders (HASH): the lease's holder goes with it[,
--        batch_leases, batches: a drain into a pipe's batch leases, see batch_cover]].
-- ARGV = action ('delete', 'dead-letter' or 'requeue'), source type ('list' or 'zset'),
--        the exact stored bytes (a list element, or a retry member), what to push ('' = nothing:
--        a delete without an audit record), processing ('1' when the source is the processing
--        list: the lease goes with the last copy), guard ('1': only when the element's lease
--        has expired on the server's clock; none, or a live one, means a consumer may hold it),
--        requeue end ('newest': LPUSH, the only push the deployer's inbound list takes, as its
--        own retry promotion does; else RPUSH, the consumer end).
-- The bytes must still be in the source (LPOS / ZSCORE), else nothing is done: 'gone'. The
-- destination is written before the source loses the element (LREM of one copy, nearest the
-- consumer end; ZREM), so no instant and no failure halfway loses it. Pushes: a dead letter and
-- an audit record LPUSH (the newest end, as their writers do); a requeue RPUSH (the consumer
-- end: next to be taken), or LPUSH when asked ('newest': the mint profile).
-- Returns {'ok', copies still in the source}, {'gone', 0} or {'held', lease deadline or -1}.
local source, leases, dest = KEYS[1], KEYS[2], KEYS[3]
local action, kind, raw, push = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local processing, guard = ARGV[5] == '1', ARGV[6] == '1'
check_type(source, kind)
check_type(leases, 'zset')
if KEYS[4] then check_type(KEYS[4], 'hash') end
if push ~= '' then check_type(dest, 'list') end

if kind == 'zset' then
  if not redis.call('ZSCORE', source, raw) then return {'gone', 0} end
elseif not redis.call('LPOS', source, raw) then
  return {'gone', 0}
end
if guard then
  local now = now_ms()
  -- A live batch lease holds it whatever its own clock says (a drain into a pipe).
  local cover = batch_cover(KEYS[5], KEYS[6])
  if cover and cover[raw] and cover[raw] > now then return {'held', cover[raw]} end
  local deadline = redis.call('ZSCORE', leases, raw)
  if not deadline then return {'held', -1} end
  if tonumber(deadline) > now then return {'held', tonumber(deadline)} end
end

if push ~= '' then
  if action == 'requeue' and ARGV[7] ~= 'newest' then
    redis.call('RPUSH', dest, push)
  else
    redis.call('LPUSH', dest, push)
  end
end
if kind == 'zset' then
  redis.call('ZREM', source, raw)
  return {'ok', 0}
end
redis.call('LREM', source, -1, raw)
if processing then release_lease(source, leases, raw, KEYS[4]) end
return {'ok', #redis.call('LPOS', source, raw, 'COUNT', 0)}

-- claim_begin: KEYS = retry, main, processing[, batch_leases]. ARGV = promote_limit, mode[,
-- batch id, visibility_ms].
-- The first command of a batched claim (a MULTI: this script, then one RPOPLPUSH main
-- processing per element; plain commands, because a script that handles each element as a Lua
-- string costs the server about twice the work of the moves themselves). Moves up to
-- promote_limit due retries to the back of main as claim.lua does, and with a batch id starts
-- the batch's lease (deadline on the server clock; the batch's elements are recorded by the
-- next call, once known). Returns the number of due retries left in place (not in the
-- profile's format).
check_type(KEYS[1], 'zset')
check_type(KEYS[2], 'list')
check_type(KEYS[3], 'list')
if KEYS[4] then check_type(KEYS[4], 'zset') end
local now = now_ms()
local foreign = 0
local limit = tonumber(ARGV[1])
if limit > 0 then
  local _
  _, foreign = promote_due(KEYS[1], KEYS[2], limit, ARGV[2], now)
end
if KEYS[4] and ARGV[3] then
  redis.call('ZADD', KEYS[4], now + tonumber(ARGV[4]), ARGV[3])
end
return foreign

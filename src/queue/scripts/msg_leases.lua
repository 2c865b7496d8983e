-- msg_leases: KEYS = leases (ZSET), holders (HASH)[, batch_leases, batches]. ARGV = processing
-- elements, exactly as stored. An element a batch lease covers (a drain into a pipe) shows the
-- batch's deadline when it is later than its own. Reads only (a script, so it runs on a cluster connection too, where MULTI pipelines
-- do not): the server's clock (ms), then for each element its lease deadline (nil when it has
-- none) and the consumer holding it (nil when none recorded one).
local out = {now_ms()}
local cover = batch_cover(KEYS[3], KEYS[4])
for i = 1, #ARGV do
  local own = redis.call('ZSCORE', KEYS[1], ARGV[i])
  local held = cover and cover[ARGV[i]]
  if held and (not own or tonumber(own) < held) then own = held end
  out[#out + 1] = own
  out[#out + 1] = redis.call('HGET', KEYS[2], redis.sha1hex(ARGV[i]))
end
return out

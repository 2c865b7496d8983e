-- push: KEYS = main, progress. ARGV = n, channel ('' = no publish), marker ('' = none),
-- expected previous marker ('' = the progress key must not exist yet), how long the marker is
-- kept (seconds), then n elements, then n payloads to publish (when a channel is given).
-- One atomic step: every element pushed (FIFO: ARGV order is consumption order), the progress
-- marker recorded with it, then the notices published. With a marker, the batch applies only
-- if the previous batch did (compare-and-set), so batches pipelined on one connection land in
-- order or not at all, and after a lost reply the marker says exactly where things stand.
check_type(KEYS[1], 'list')
local marker = ARGV[3]
if marker ~= '' then
  check_type(KEYS[2], 'string')
  local current = redis.call('GET', KEYS[2]) or ''
  if current ~= ARGV[4] then
    return redis.error_reply('OUTOFORDER progress of this emit run is at line ' .. current .. ', not ' .. ARGV[4])
  end
end
local n = tonumber(ARGV[1])
local channel = ARGV[2]
push_range('LPUSH', KEYS[1], 6, 5 + n)
if marker ~= '' then
  redis.call('SET', KEYS[2], marker, 'EX', tonumber(ARGV[5]))
end
if channel ~= '' then
  for i = 6 + n, 5 + 2 * n do
    redis.call('PUBLISH', channel, ARGV[i])
  end
end
return n

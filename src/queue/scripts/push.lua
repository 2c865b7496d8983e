-- push: KEYS = main, progress. ARGV = n, channel ('' = no publish), progress value
-- ('' = none), then n elements, then n payloads to publish (when a channel is given).
-- One atomic step: every element pushed (FIFO: ARGV order is consumption order), the progress
-- marker recorded with it (so a lost reply can be resolved exactly), then the notices published.
check_type(KEYS[1], 'list')
if ARGV[3] ~= '' then check_type(KEYS[2], 'string') end
local n = tonumber(ARGV[1])
local channel = ARGV[2]
push_range('LPUSH', KEYS[1], 4, 3 + n)
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[2], ARGV[3], 'EX', 86400)
end
if channel ~= '' then
  for i = 4 + n, 3 + 2 * n do
    redis.call('PUBLISH', channel, ARGV[i])
  end
end
return redis.call('LLEN', KEYS[1])

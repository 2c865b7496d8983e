-- promote: KEYS = retry, main. ARGV = limit, mode ('nonce' or 'mint', see prelude).
-- Moves up to limit due retries (score <= now) to the back of main, each in this one step.
-- Returns {promoted, foreign}: foreign counts due members left in place, not understood.
check_type(KEYS[1], 'zset')
check_type(KEYS[2], 'list')
local promoted, foreign = promote_due(KEYS[1], KEYS[2], tonumber(ARGV[1]), ARGV[2], now_ms())
return {promoted, foreign}

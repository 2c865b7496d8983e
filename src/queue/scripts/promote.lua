-- promote: KEYS = retry, main. ARGV = limit, mode ('nonce' or 'mint', see prelude)[, 'all'].
-- Moves up to limit due retries (score <= now; with 'all', every pending retry whatever its due
-- time, as `migrate` does before it moves main) to the back of main, each in this one step.
-- Returns {promoted, foreign}: foreign counts due members left in place, not understood.
check_type(KEYS[1], 'zset')
check_type(KEYS[2], 'list')
local upto = now_ms()
if ARGV[3] == 'all' then upto = '+inf' end
local promoted, foreign = promote_due(KEYS[1], KEYS[2], tonumber(ARGV[1]), ARGV[2], upto)
return {promoted, foreign}

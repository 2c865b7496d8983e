#!/usr/bin/env bash
# Sourced by scripts/bench.sh (needs its $R, $HQ, $WORK, $DLQ_N, row, rate, ratio, now):
# dlq replay and dlq purge --export of DLQ_N entries, with peak RSS and Redis's SLOWLOG.

# Fills bench:q:dlq with $DLQ_N wrapped entries (~1 KB each), generated inside Redis in chunks.
fill_dlq() {
  $R del bench:q:dlq bench:q:replays bench:replayed >/dev/null
  local lua='
local n = tonumber(ARGV[1]); local base = tonumber(ARGV[2])
for i = 1, n do
  local id = string.format("%08x-0000-4000-8000-%012d", base + i, base + i)
  redis.call("LPUSH", KEYS[1], string.format(ARGV[3], id, base + i))
end
return n'
  # A wrapper as the platform writes it; %s = message_id, %d = a model number.
  local entry='{"original_message": "{\"message_id\": \"%s\", \"message_type\": \"model_ready_to_deploy\", \"payload\": {\"model_id\": \"model-%d\", \"token_symbol\": \"msg-ai\", \"metric_name\": \"accuracy\", \"baseline_value\": 0.85, \"current_value\": 0.88, \"model_name\": \"msg-ai-classifier\", \"model_version\": \"3\", \"mlflow_run_id\": \"run-0123456789abcdef0123456789abcdef\", \"experiment_name\": \"baseline-validation-2025-q1\", \"tags\": {\"team\": \"ml-platform\", \"env\": \"staging\"}, \"contributor_address\": \"0xabcdefabcdefabcdefabcdefabcdefabcdefabcd\", \"status\": \"registered\", \"message_version\": \"1.0\"}, \"timestamp\": \"2025-01-27T15:30:00.123456\", \"retry_count\": 3, \"max_retries\": 3}", "error": "handler exited with status 1: deployment target unavailable", "failed_at": "2025-01-27T15:31:00.000001", "original_queue": "bench:q"}'
  local done_=0 chunk=50000
  while [ "$done_" -lt "$DLQ_N" ]; do
    local n=$(( DLQ_N - done_ < chunk ? DLQ_N - done_ : chunk ))
    $R eval "$lua" 1 bench:q:dlq "$n" "$done_" "$entry" >/dev/null
    done_=$(( done_ + n ))
  done
}

slowlog_reset() {
  $R config set slowlog-log-slower-than 10000 >/dev/null   # 10 ms
  $R config set slowlog-max-len 1000 >/dev/null
  $R slowlog reset >/dev/null
}
# "N commands over 10 ms (slowest X ms)"
slowlog_report() {
  local n max
  n=$($R slowlog len)
  # In each entry, field 3 is the duration in microseconds.
  max=$($R --no-raw slowlog get 1000 | sed -nE 's/^ *3\) \(integer\) ([0-9]+)$/\1/p' | sort -n | tail -1)
  max=$(awk -v m="${max:-0}" 'BEGIN { printf "%.1f", m / 1000 }')
  echo "$n commands over 10 ms (slowest ${max} ms)"
}

echo "filling the DLQ with $DLQ_N entries..." >&2
fill_dlq
ENTRY_BYTES=$($R lindex bench:q:dlq 0 | wc -c)
lpush_now
slowlog_reset
REPLAY_RATES=(); REPLAY_RATIOS=()
paired REPLAY "$DLQ_N" /usr/bin/time -f "%M" -o "$WORK/replay.rss" $HQ -q bench:q dlq replay --yes --to bench:replayed
# paired's closing baseline runs before SLOWLOG is read: its LPUSHes are microseconds each and
# its list is dropped with UNLINK (freed off the main thread), so it adds nothing there.
REPLAY_SLOW=$($R slowlog len)
REPLAY_SLOWLOG=$(slowlog_report)
REPLAY_RSS_MB=$(( $(cat "$WORK/replay.rss") / 1024 ))
MOVED=$($R llen bench:replayed)
[ "$MOVED" -eq "$DLQ_N" ] || { echo "replay moved $MOVED of $DLQ_N" >&2; exit 1; }
$R del bench:replayed bench:q:replays >/dev/null

echo "filling the DLQ with $DLQ_N entries..." >&2
fill_dlq
lpush_now
slowlog_reset
PURGE_RATES=(); PURGE_RATIOS=()
paired PURGE "$DLQ_N" /usr/bin/time -f "%M" -o "$WORK/purge.rss" $HQ -q bench:q dlq purge --yes --export "$WORK/export.jsonl"
PURGE_SLOWLOG=$(slowlog_report)
PURGE_RSS_MB=$(( $(cat "$WORK/purge.rss") / 1024 ))
LEFT_DLQ=$($R llen bench:q:dlq)
EXPORT_MB=$(du -m "$WORK/export.jsonl" | cut -f1)
EXPORTED=$(grep -c '"n"' "$WORK/export.jsonl" || true)
[ "$EXPORTED" -eq "$DLQ_N" ] || { echo "purge exported $EXPORTED of $DLQ_N" >&2; exit 1; }
rm -f "$WORK/export.jsonl"

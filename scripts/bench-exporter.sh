#!/usr/bin/env bash
# Sourced by scripts/bench.sh (needs its $R, $HQ, $WORK, row): the exporter's cost per scrape for
# 1, 10 and 100 queues on the bench server: the time a scrape takes seen from the scraper (curl,
# median of EXPORTER_SCRAPES, no cache) and the exporter's own hokusai_queue_scrape_duration_seconds,
# and the Redis commands each scrape sends (CONFIG RESETSTAT, then INFO commandstats after the
# scrapes: every call, those run inside the depth script included).
EXPORTER_SCRAPES=${EXPORTER_SCRAPES:-50}

# exporter_bench COUNT: COUNT envelope queues of 100 messages (and 1 in processing, 1 dead
# letter each), one exporter watching them all.
exporter_bench() {
  local count=$1 args=() i
  for i in $(seq "$count"); do
    $R eval "for j = 1, 100 do redis.call('LPUSH', KEYS[1], ARGV[1]) end; redis.call('LPUSH', KEYS[2], ARGV[1]); redis.call('LPUSH', KEYS[3], 'dead')" \
      3 "bench:x$i" "bench:x$i:processing" "bench:x$i:dlq" \
      '{"message_id":"550e8400-e29b-41d4-a716-446655440000","message_type":"model_ready_to_deploy","payload":{},"timestamp":"2025-01-27T15:30:00.123456","retry_count":0,"max_retries":3}' >/dev/null
    args+=(-q "bench:x$i")
  done
  : >"$WORK/exporter.err"  # exists before the exporter writes to it: the wait below greps it
  "$HQ" --profile envelope exporter --listen 127.0.0.1:0 --min-interval 0s "${args[@]}" 2>"$WORK/exporter.err" &
  local pid=$! addr=""
  for _ in $(seq 200); do
    addr=$(grep -o 'http://[0-9.:]*' "$WORK/exporter.err" | head -1) && [ -n "$addr" ] && break
    sleep 0.05
  done
  [ -n "$addr" ] || { echo "the exporter did not start:" >&2; cat "$WORK/exporter.err" >&2; kill "$pid"; return 1; }
  curl -s "$addr/metrics" >/dev/null   # connects its readers
  $R config resetstat >/dev/null
  local times=()
  for _ in $(seq "$EXPORTER_SCRAPES"); do
    times+=("$(curl -s -o "$WORK/scrape.txt" -w '%{time_total}' "$addr/metrics")")
  done
  local calls
  calls=$($R info commandstats | awk -F'[=,:]' '/^cmdstat_/ && $1 != "cmdstat_info" && $1 != "cmdstat_config" { n += $3 } /^cmdstat_info:/ { n += $3 - 1 } END { print n }')
  local trips
  trips=$($R info commandstats | awk -F'[=,:]' '/^cmdstat_(evalsha|ping|info|exec):/ { n += $3 } /^cmdstat_info:/ { n -= 1 } END { print n }')
  local own
  own=$(awk '/^hokusai_queue_scrape_duration_seconds / { printf "%.2f", $2 * 1000 }' "$WORK/scrape.txt")
  local series
  series=$(grep -c '^hokusai_queue_depth{' "$WORK/scrape.txt")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local ms
  ms=$(median %.6f "${times[@]}")
  ms=$(awk -v s="$ms" 'BEGIN { printf "%.2f", s * 1000 }')
  row "exporter scrape, $count queue(s)" "$ms ms" "" "" "" "$(awk -v c="$calls" -v k="$EXPORTER_SCRAPES" 'BEGIN { printf "%.1f", c / k }') Redis commands/scrape ($(awk -v c="$trips" -v k="$EXPORTER_SCRAPES" 'BEGIN { printf "%.1f", c / k }') round trips); own read ${own} ms; $series depth series; curl median of $EXPORTER_SCRAPES"
  for i in $(seq "$count"); do $R unlink "bench:x$i" "bench:x$i:processing" "bench:x$i:dlq" >/dev/null; done
}
echo "exporter scrapes..." >&2
for c in 1 10 100; do exporter_bench "$c"; done

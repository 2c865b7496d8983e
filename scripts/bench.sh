#!/usr/bin/env bash
# Benchmarks hokusai-queue against the physical limit, measured in the same run on the same
# server: redis-benchmark (LPUSH -P 64, PING round trip) and redis-cli. Starts its own
# redis-server (no persistence) on a free port, generates its own data (~800-byte envelopes),
# prints figures and ratios. Machines here are noisy: the ratios are what count.
#
#   scripts/bench.sh            # N=100000 messages, DLQ_N=1000000 entries
#   N=20000 DLQ_N=100000 scripts/bench.sh   # a quicker run
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
DLQ_N=${DLQ_N:-1000000}

scripts/ensure-redis.sh
if ! command -v hyperfine >/dev/null 2>&1; then
  echo "installing hyperfine (apt-get)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq hyperfine >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq hyperfine >/dev/null; }
fi
cargo build --release --locked -q
HQ=$PWD/target/release/hokusai-queue

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 6399)
redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" --logfile "$WORK/redis.log" --daemonize yes
trap 'redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
R="redis-cli -p $PORT"
URL="redis://127.0.0.1:$PORT/0"
export HOKUSAI_REDIS_URL=$URL

now() { date +%s.%N; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rows=()
row() { rows+=("$(printf '%-38s %14s %14s  %s' "$1" "$2" "$3" "$4")"); }

echo "generating $N payloads of the platform's shape..." >&2
awk -v n="$N" 'BEGIN {
  for (i = 0; i < n; i++)
    printf "{\"model_id\":\"model-%08d\",\"token_symbol\":\"msg-ai\",\"metric_name\":\"accuracy\",\"baseline_value\":0.85,\"current_value\":0.88,\"model_name\":\"msg-ai-classifier\",\"model_version\":\"3\",\"mlflow_run_id\":\"run-0123456789abcdef0123456789abcdef\",\"experiment_name\":\"baseline-validation-2025-q1\",\"tags\":{\"team\":\"ml-platform\",\"env\":\"staging\",\"owner\":\"model-registry@hokusai.example\"},\"contributor_address\":\"0xabcdefabcdefabcdefabcdefabcdefabcdefabcd\",\"eval_spec\":\"evals/msg-ai/v3/spec.yaml\",\"primary_metric\":\"accuracy\"}\n", i
}' > "$WORK/events.jsonl"

echo "redis-benchmark baselines..." >&2
LPUSH_OPS=$(redis-benchmark -p "$PORT" -c 1 -P 64 -d 800 -t lpush -n 1000000 -q --csv | awk -F'"' '/LPUSH/ { print $4 }')
PING_OPS=$(redis-benchmark -p "$PORT" -c 1 -P 1 -t ping_mbulk -n 50000 -q --csv | awk -F'"' '/PING/ { print $4 }')
$R flushall >/dev/null
row "redis-benchmark LPUSH -c1 -P64 -d800" "${LPUSH_OPS%.*} ops/s" "1.00" "the physical limit"
row "redis-benchmark PING -c1 (round trip)" "${PING_OPS%.*} ops/s" "" "$(awk -v o="$PING_OPS" 'BEGIN { printf "%.0f us per round trip", 1e6 / o }')"

# emit --file
t0=$(now); $HQ -q bench:q emit --file "$WORK/events.jsonl" >/dev/null; t1=$(now)
EMIT=$(rate "$N" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
ENV_BYTES=$($R lindex bench:q 0 | wc -c)
row "emit --file $N (publish on)" "$EMIT msg/s" "$(ratio "$EMIT" "$LPUSH_OPS")" "target >= 150000 msg/s and >= 0.45 (envelope ${ENV_BYTES}B)"
$R del bench:q >/dev/null
t0=$(now); $HQ -q bench:q emit --no-publish --file "$WORK/events.jsonl" >/dev/null; t1=$(now)
EMIT_NP=$(rate "$N" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
row "emit --file $N --no-publish" "$EMIT_NP msg/s" "$(ratio "$EMIT_NP" "$LPUSH_OPS")" ""

# drain > /dev/null (every message acked)
t0=$(now); $HQ -q bench:q drain >/dev/null 2>&1; t1=$(now)
DRAIN=$(rate "$N" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
LEFT=$(( $($R llen bench:q) + $($R llen bench:q:processing) ))
row "drain > /dev/null $N (acked)" "$DRAIN msg/s" "$(ratio "$DRAIN" "$LPUSH_OPS")" "target >= 50000 msg/s (left behind: $LEFT)"

# depth vs redis-cli llen, whole process, hyperfine
$HQ -q bench:q emit --no-publish --file "$WORK/events.jsonl" >/dev/null
hyperfine -N --warmup 20 --runs 300 --export-json "$WORK/depth.json" \
  "$HQ -q bench:q depth -o json" "redis-cli -p $PORT llen bench:q" >/dev/null 2>&1
read -r DEPTH_MS LLEN_MS < <(python3 -c "
import json; r = json.load(open('$WORK/depth.json'))['results']
print(r[0]['mean'] * 1000, r[1]['mean'] * 1000)")
row "depth (whole process)" "$(printf '%.2f ms' "$DEPTH_MS")" "$(ratio "$DEPTH_MS" "$LLEN_MS")" "vs redis-cli llen $(printf '%.2f ms' "$LLEN_MS"); target <= 1.5"

# start-up
hyperfine -N --warmup 20 --runs 500 --export-json "$WORK/version.json" "$HQ --version" >/dev/null 2>&1
VERSION_MS=$(python3 -c "import json; print(json.load(open('$WORK/version.json'))['results'][0]['mean'] * 1000)")
row "start-up (--version)" "$(printf '%.2f ms' "$VERSION_MS")" "" "target < 5 ms"

if [ -x scripts/bench-dlq.sh ]; then
  # shellcheck source=/dev/null
  source scripts/bench-dlq.sh
fi

echo
printf '%-38s %14s %14s  %s\n' "work" "figure" "ratio" "notes"
printf '%s\n' "${rows[@]}"

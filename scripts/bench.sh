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
max() { printf '%s\n' "$@" | sort -g | tail -1; }
# ok when $1 >= $2 (or <= with a third argument "le")
verdict() { awk -v a="$1" -v b="$2" -v le="${3:-}" 'BEGIN { ok = (le == "le") ? (a <= b) : (a >= b); print ok ? "ok" : "MISS" }'; }
rows=()
row() { rows+=("$(printf '%-36s %14s %6s %7s  %-4s  %s' "$1" "$2" "$3" "$4" "$5" "$6")"); }
RUNS=${RUNS:-3}
# The issue's targets are absolute figures on a machine where LPUSH -P64 is 330k ops/s; as
# ratios to that figure they hold on any machine: 150k -> 0.45, 50k -> 0.15, 100k -> 0.30.
REF=330000

echo "generating $N payloads of the platform's shape..." >&2
awk -v n="$N" 'BEGIN {
  for (i = 0; i < n; i++)
    printf "{\"model_id\":\"model-%08d\",\"token_symbol\":\"msg-ai\",\"metric_name\":\"accuracy\",\"baseline_value\":0.85,\"current_value\":0.88,\"model_name\":\"msg-ai-classifier\",\"model_version\":\"3\",\"mlflow_run_id\":\"run-0123456789abcdef0123456789abcdef\",\"experiment_name\":\"baseline-validation-2025-q1\",\"tags\":{\"team\":\"ml-platform\",\"env\":\"staging\",\"owner\":\"model-registry@hokusai.example\"},\"contributor_address\":\"0xabcdefabcdefabcdefabcdefabcdefabcdefabcd\",\"eval_spec\":\"evals/msg-ai/v3/spec.yaml\",\"primary_metric\":\"accuracy\"}\n", i
}' > "$WORK/events.jsonl"

# The physical limit, measured RUNS times spread over the run (before, between and after the
# workloads); the best is the one every ratio divides by, the spread shows the noise.
LPUSH_RUNS=()
baseline() {
  LPUSH_RUNS+=("$(redis-benchmark -p "$PORT" -c 1 -P 64 -d 800 -t lpush -n 500000 -q --csv | awk -F'"' '/LPUSH/ { printf "%.0f", $4 }')")
  $R del __rand_int__ mylist >/dev/null 2>&1 || true
}
echo "redis-benchmark baselines..." >&2
baseline
PING_OPS=$(redis-benchmark -p "$PORT" -c 1 -P 1 -t ping_mbulk -n 50000 -q --csv | awk -F'"' '/PING/ { print $4 }')
$R flushall >/dev/null

# Best of RUNS for each workload (the least disturbed run, as for the baseline).
EMIT_RUNS=(); EMIT_NP_RUNS=(); DRAIN_RUNS=()
for _ in $(seq "$RUNS"); do
  t0=$(now); $HQ -q bench:q emit --file "$WORK/events.jsonl" >/dev/null; t1=$(now)
  EMIT_RUNS+=("$(rate "$N" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")")
  $R del bench:q >/dev/null
  t0=$(now); $HQ -q bench:q emit --no-publish --file "$WORK/events.jsonl" >/dev/null; t1=$(now)
  EMIT_NP_RUNS+=("$(rate "$N" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")")
  t0=$(now); $HQ -q bench:q drain >/dev/null 2>&1; t1=$(now)
  DRAIN_RUNS+=("$(rate "$N" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")")
  LEFT=$(( $($R llen bench:q) + $($R llen bench:q:processing) ))
  [ "$LEFT" -eq 0 ] || { echo "drain left $LEFT messages behind" >&2; exit 1; }
done
ENV_BYTES=$($HQ -q bench:q emit --no-publish --file "$WORK/events.jsonl" >/dev/null && $R lindex bench:q 0 | wc -c)
baseline

# depth vs redis-cli llen, whole process, hyperfine
hyperfine -N --warmup 20 --runs 300 --export-json "$WORK/depth.json" \
  "$HQ -q bench:q depth -o json" "redis-cli -p $PORT llen bench:q" >/dev/null 2>&1
read -r DEPTH_MS LLEN_MS < <(python3 -c "
import json; r = json.load(open('$WORK/depth.json'))['results']
print(r[0]['mean'] * 1000, r[1]['mean'] * 1000)")

# start-up
hyperfine -N --warmup 20 --runs 500 --export-json "$WORK/version.json" "$HQ --version" >/dev/null 2>&1
VERSION_MS=$(python3 -c "import json; print(json.load(open('$WORK/version.json'))['results'][0]['mean'] * 1000)")
$R del bench:q >/dev/null

if [ -x scripts/bench-dlq.sh ]; then
  # shellcheck source=/dev/null
  source scripts/bench-dlq.sh
fi
baseline

LPUSH_OPS=$(max "${LPUSH_RUNS[@]}")
EMIT=$(max "${EMIT_RUNS[@]}"); EMIT_NP=$(max "${EMIT_NP_RUNS[@]}"); DRAIN=$(max "${DRAIN_RUNS[@]}")
row "redis-benchmark LPUSH -c1 -P64 -d800" "$LPUSH_OPS ops/s" "1.00" "" "" "the physical limit: best of ${LPUSH_RUNS[*]}"
row "redis-benchmark PING -c1" "${PING_OPS%.*} ops/s" "" "" "" "$(awk -v o="$PING_OPS" 'BEGIN { printf "%.0f us per round trip", 1e6 / o }')"
r=$(ratio "$EMIT" "$LPUSH_OPS")
row "emit --file $N (publish on)" "$EMIT msg/s" "$r" ">=0.45" "$(verdict "$r" 0.45)" "best of ${EMIT_RUNS[*]}; envelope ${ENV_BYTES}B"
r=$(ratio "$EMIT_NP" "$LPUSH_OPS")
row "emit --file $N --no-publish" "$EMIT_NP msg/s" "$r" ">=0.45" "$(verdict "$r" 0.45)" "best of ${EMIT_NP_RUNS[*]}"
r=$(ratio "$DRAIN" "$LPUSH_OPS")
row "drain > /dev/null $N (acked)" "$DRAIN msg/s" "$r" ">=0.15" "$(verdict "$r" 0.15)" "best of ${DRAIN_RUNS[*]}"
r=$(ratio "$DEPTH_MS" "$LLEN_MS")
row "depth (whole process)" "$(printf '%.2f ms' "$DEPTH_MS")" "$r" "<=1.5" "$(verdict "$r" 1.5 le)" "ratio to redis-cli llen $(printf '%.2f ms' "$LLEN_MS") (hyperfine, 300 runs)"
row "start-up (--version)" "$(printf '%.2f ms' "$VERSION_MS")" "" "<5ms" "$(verdict "$VERSION_MS" 5 le)" "hyperfine, 500 runs"
if [ -n "${REPLAY:-}" ]; then
  r=$(ratio "$REPLAY" "$LPUSH_OPS")
  ok=$(verdict "$r" 0.30); [ "$(verdict "$REPLAY_RSS_MB" 29.99 le)" = ok ] && [ "$REPLAY_SLOW" -eq 0 ] || ok=MISS
  row "dlq replay $DLQ_N" "$REPLAY msg/s" "$r" ">=0.30" "$ok" "peak RSS $REPLAY_RSS_MB MB (< 30); $REPLAY_SLOWLOG; moved $MOVED; entry ${ENTRY_BYTES}B"
  r=$(ratio "$PURGE" "$LPUSH_OPS")
  ok=$(verdict "$r" 0.30); [ "$(verdict "$PURGE_RSS_MB" 29.99 le)" = ok ] || ok=MISS
  row "dlq purge --export $DLQ_N" "$PURGE msg/s" "$r" ">=0.30" "$ok" "peak RSS $PURGE_RSS_MB MB (< 30); $PURGE_SLOWLOG; left $LEFT_DLQ; export $EXPORT_MB MB"
fi

echo
echo "Targets are the issue's, as ratios to LPUSH -P64 on its reference machine ($REF ops/s): 150k/s -> 0.45,"
echo "50k/s -> 0.15, 100k/s -> 0.30. In absolute terms on this machine they would be $(awk -v l="$LPUSH_OPS" 'BEGIN { printf "%.0f, %.0f and %.0f msg/s", l * 0.45, l * 0.15, l * 0.30 }')."
echo
printf '%-36s %14s %6s %7s  %-4s  %s\n' "work" "figure" "ratio" "target" "" "notes"
printf '%s\n' "${rows[@]}"

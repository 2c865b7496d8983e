#!/usr/bin/env bash
# Benchmarks hokusai-queue against the physical limit, measured in the same run on the same
# server: redis-benchmark (LPUSH -P 64, PING round trip) and redis-cli. Starts its own
# redis-server (no persistence) on a free port, generates its own data (~800-byte envelopes),
# prints figures and ratios. Machines here are noisy: the ratios are what count.
#
#   scripts/bench.sh            # N=100000 messages, DLQ_N=1000000 entries
#   N=20000 DLQ_N=100000 scripts/bench.sh   # a quicker run
#   ONLY=exporter scripts/bench.sh          # the exporter's rows alone (scripts/bench-exporter.sh)
#   ONLY=drain scripts/bench.sh             # drain > /dev/null, drain | cat, drain > file, LPUSH -P64
#   HQ_BIN=/path/to/hokusai-queue scripts/bench.sh   # measure that binary (no build)
#   ONLY=sqs N=5000 scripts/bench.sh        # the SQS rows alone (scripts/bench-sqs.sh, moto's emulator)
#   HANDLER_N (20000): messages for the --exec-stream and Python reference rows;
#   EXEC_N (2000): for per-process --exec; CONC_N (128): for the 50 ms handler rows.
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
# HQ_BIN: measure another build (e.g. a copy of an earlier one) instead of building this tree.
if [ -n "${HQ_BIN:-}" ]; then HQ=$HQ_BIN; else cargo build --release --locked -q; HQ=$PWD/target/release/hokusai-queue; fi

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 6399)
redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" --logfile "$WORK/redis.log" --daemonize yes
trap 'redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
R="redis-cli -p $PORT"
URL="redis://127.0.0.1:$PORT/0"
export HOKUSAI_REDIS_URL=$URL
# bench:q is an envelope queue (by its name it would be opaque); the mint rows name theirs.
export HOKUSAI_PROFILE=envelope

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

[ "${ONLY:-}" = exporter ] || echo "generating $N payloads of the platform's shape..." >&2
[ "${ONLY:-}" = exporter ] || awk -v n="$N" 'BEGIN {
  for (i = 0; i < n; i++)
    printf "{\"model_id\":\"model-%08d\",\"token_symbol\":\"msg-ai\",\"metric_name\":\"accuracy\",\"baseline_value\":0.85,\"current_value\":0.88,\"model_name\":\"msg-ai-classifier\",\"model_version\":\"3\",\"mlflow_run_id\":\"run-0123456789abcdef0123456789abcdef\",\"experiment_name\":\"baseline-validation-2025-q1\",\"tags\":{\"team\":\"ml-platform\",\"env\":\"staging\",\"owner\":\"model-registry@hokusai.example\"},\"contributor_address\":\"0xabcdefabcdefabcdefabcdefabcdefabcdefabcd\",\"eval_spec\":\"evals/msg-ai/v3/spec.yaml\",\"primary_metric\":\"accuracy\"}\n", i
}' > "$WORK/events.jsonl"

# The physical limit. The machine's speed drifts within a run (one redis-benchmark can be half
# the next), so each workload run is paired with the baselines measured right before and right
# after it, and its ratio divides by the better of those two. Each row reports the median of
# RUNS runs: figure and ratio.
LPUSH_ALL=()
LAST_B=0
lpush_now() {
  LAST_B=$(redis-benchmark -p "$PORT" -c 1 -P 64 -d 800 -t lpush -n 300000 -q --csv | awk -F'"' '/LPUSH/ { printf "%.0f", $4 }')
  LPUSH_ALL+=("$LAST_B")
  $R unlink __rand_int__ mylist >/dev/null 2>&1 || true  # UNLINK: freed off the main thread, never in SLOWLOG
}
# median FORMAT VALUE...
median() {
  local f=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v f="$f" '{ a[NR] = $1 } END { printf f, (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# paired NAME COUNT CMD...: times CMD (COUNT messages), records its rate and its ratio to the
# better of the baselines just before (LAST_B) and just after it.
paired() {
  local name=$1 count=$2; shift 2
  local before=$LAST_B t0 t1 r
  t0=$(now); "$@" >/dev/null 2>&1; t1=$(now)
  lpush_now
  r=$(rate "$count" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  eval "${name}_RATES+=(\"$r\")"
  eval "${name}_RATIOS+=(\"$(ratio "$r" "$(max "$before" "$LAST_B")")\")"
}
if [ "${ONLY:-}" = sqs ]; then
  # shellcheck source=/dev/null
  source scripts/bench-sqs.sh
  printf '%-36s %14s %6s %7s  %-4s  %s\n' "work" "figure" "ratio" "target" "" "notes"
  printf '%s\n' "${rows[@]}"
  exit 0
fi
if [ "${ONLY:-}" = exporter ]; then
  # shellcheck source=/dev/null
  source scripts/bench-exporter.sh
  printf '%-36s %14s %6s %7s  %-4s  %s\n' "work" "figure" "ratio" "target" "" "notes"
  printf '%s\n' "${rows[@]}"
  exit 0
fi
echo "redis-benchmark baselines..." >&2
lpush_now
PING_OPS=$(redis-benchmark -p "$PORT" -c 1 -P 1 -t ping_mbulk -n 50000 -q --csv | awk -F'"' '/PING/ { print $4 }')
$R flushall >/dev/null

EMIT_RATES=(); EMIT_RATIOS=(); EMIT_NP_RATES=(); EMIT_NP_RATIOS=(); DRAIN_RATES=(); DRAIN_RATIOS=()
for _ in $(seq "$RUNS"); do
  if [ "${ONLY:-}" = drain ]; then
    "$HQ" -q bench:q emit --no-publish --file "$WORK/events.jsonl" >/dev/null
  else
    paired EMIT "$N" "$HQ" -q bench:q emit --file "$WORK/events.jsonl"
    $R del bench:q >/dev/null
    paired EMIT_NP "$N" "$HQ" -q bench:q emit --no-publish --file "$WORK/events.jsonl"
  fi
  paired DRAIN "$N" "$HQ" -q bench:q drain
  LEFT=$(( $($R llen bench:q) + $($R llen bench:q:processing) ))
  [ "$LEFT" -eq 0 ] || { echo "drain left $LEFT messages behind" >&2; exit 1; }
done
ENV_BYTES=$($HQ -q bench:q emit --no-publish --file "$WORK/events.jsonl" >/dev/null && $R lindex bench:q 0 | wc -c)
# Emptied again: left there, the first `drain | cat` run below drained 2N messages and was
# counted as N (half its real rate).
$R unlink bench:q >/dev/null

# mint: the same volume of flat MintRequests (~1.1 KB, the pipeline's shape), each checked by
# every rule of the deployer's validator, LPUSHed compact.
python3 - "$N" > "$WORK/mint.jsonl" <<'PY'
import json, sys
n = int(sys.argv[1])
for i in range(n):
    h = lambda k: "0x" + format(i * 7 + k, "016x") + "ab" * 24
    print(json.dumps({
        "message_type": "mint_request", "schema_version": "1.0",
        "message_id": "3f1c2b7e-9a4d-4c1e-8b2a-%012x" % i, "timestamp": "2026-07-01T09:30:00.123456+00:00",
        "model_id": "demo-model", "model_id_uint": str(42 + i), "eval_id": "eval-%08d" % i,
        "benchmark_spec_id": "bench-demo-v1", "dataset_hash": h(1), "attestation_hash": h(2),
        "idempotency_key": h(3), "baseline_commitment": h(4), "candidate_commitment": h(5),
        "attester_signatures": ["0x" + "ab" * 64 + "1b"], "totalSamples": 200, "deadline": 4102444800,
        "evaluation": {"metric_name": "accuracy", "metric_family": "proportion", "baseline_score_bps": 7000,
                       "new_score_bps": 7200, "max_cost_usd_micro": 1000000, "actual_cost_usd_micro": 250000,
                       "sample_size_baseline": None, "sample_size_candidate": 200, "ci_low_bps": None,
                       "ci_high_bps": None, "p_value": None, "effect_size_bps": None,
                       "statistical_method": None, "statistical_reason": None},
        "contributors": [{"wallet_address": "0x1111222233334444555566667777888899990000", "weight_bps": 10000,
                          "submissionId": None, "contributionBatchId": None, "contributorId": None,
                          "recipientKind": "wallet"}]}, separators=(",", ":")))
PY
MINT_RATES=(); MINT_RATIOS=(); PIPE_RATES=(); PIPE_RATIOS=()
for _ in $(seq "$RUNS"); do
  if [ "${ONLY:-}" != drain ]; then
    paired MINT "$N" "$HQ" --profile mint -q bench:mint emit --file "$WORK/mint.jsonl"
    $R unlink bench:mint >/dev/null
  fi
  # drain into a pipe: each line acknowledged only once the reader has taken it.
  "$HQ" -q bench:q emit --no-publish --file "$WORK/events.jsonl" >/dev/null
  paired PIPE "$N" sh -c "'$HQ' -q bench:q drain | cat > /dev/null"
  LEFT=$(( $($R llen bench:q) + $($R llen bench:q:processing) ))
  [ "$LEFT" -eq 0 ] || { echo "drain into a pipe left $LEFT messages behind" >&2; exit 1; }
done
MINT_BYTES=$(head -1 "$WORK/mint.jsonl" | wc -c)

# drain to a file (acknowledged once flushed), paired with the baseline like the others.
FILE_RATES=(); FILE_RATIOS=()
for _ in $(seq "$RUNS"); do
  "$HQ" -q bench:q emit --no-publish --file "$WORK/events.jsonl" >/dev/null
  paired FILE "$N" sh -c "'$HQ' -q bench:q drain > '$WORK/drained.jsonl'"
  [ "$(wc -l < "$WORK/drained.jsonl")" -eq "$N" ] || { echo "drain to a file wrote $(wc -l < "$WORK/drained.jsonl") lines, not $N" >&2; exit 1; }
  rm -f "$WORK/drained.jsonl"
done

if [ "${ONLY:-}" = drain ]; then
  row "redis-benchmark LPUSH -c1 -P64 -d800" "$(median %.0f "${LPUSH_ALL[@]}") ops/s" "1.00" "" "" "the physical limit (median; min $(printf '%s\n' "${LPUSH_ALL[@]}" | sort -g | head -1), max $(max "${LPUSH_ALL[@]}"), ${#LPUSH_ALL[@]} runs)"
  for w in DRAIN:"drain > /dev/null $N (acked)" PIPE:"drain | cat $N (acked when read)" FILE:"drain > file $N (acked when flushed)"; do
    v=${w%%:*}; rates="${v}_RATES[*]"; ratios="${v}_RATIOS[*]"
    # shellcheck disable=SC2086
    r=$(median %.2f ${!ratios})
    # shellcheck disable=SC2086
    row "${w#*:}" "$(median %.0f ${!rates}) msg/s" "$r" ">=0.50" "$(verdict "$r" 0.50)" "runs ${!rates}, ratios ${!ratios}"
  done
  printf '%-36s %14s %6s %7s  %-4s  %s\n' "work" "figure" "ratio" "target" "" "notes"
  printf '%s\n' "${rows[@]}"
  exit 0
fi

# Handlers. A process per message (--exec), a long-lived one (--exec-stream, a trivial awk
# handler that answers "ok N" to every line), and the platform's Python reference consumer
# (BRPOPLPUSH + LREM per message, in-process) on the same messages. Its `redis` module comes
# from a venv under target/ (pip install redis, once); without PyPI the row says why.
HANDLER_N=${HANDLER_N:-20000}
EXEC_N=${EXEC_N:-2000}
CONC_N=${CONC_N:-128}
head -n "$HANDLER_N" "$WORK/events.jsonl" > "$WORK/handler.jsonl"
head -n "$EXEC_N" "$WORK/events.jsonl" > "$WORK/exec.jsonl"
head -n "$CONC_N" "$WORK/events.jsonl" > "$WORK/conc.jsonl"
VENV=target/bench-venv
PY_SKIP=""
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import redis' 2>/dev/null; then
  { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q redis; } >"$WORK/venv.log" 2>&1 \
    || PY_SKIP="skipped: no venv with the redis module ($(tail -1 "$WORK/venv.log"))"
fi
rate1() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", n / t }'; }
timed() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'; }
EXEC_RATES=(); STREAM_RATES=(); PY_RATES=(); C1_RATES=(); C8_RATES=()
STREAM_HANDLER="awk '{ print \"ok \" NR; fflush() }'"
for _ in $(seq "$RUNS"); do
  "$HQ" -q bench:q emit --no-publish --file "$WORK/exec.jsonl" >/dev/null
  EXEC_RATES+=("$(rate "$EXEC_N" "$(timed "$HQ" -q bench:q drain --exec 'cat > /dev/null')")")
  "$HQ" -q bench:q emit --no-publish --file "$WORK/handler.jsonl" >/dev/null
  STREAM_RATES+=("$(rate "$HANDLER_N" "$(timed "$HQ" -q bench:q drain --exec-stream "$STREAM_HANDLER")")")
  if [ -z "$PY_SKIP" ]; then
    "$HQ" -q bench:q emit --no-publish --file "$WORK/handler.jsonl" >/dev/null
    PY_RATES+=("$("$VENV/bin/python" /work/shared/bench/py_reference.py "$URL" bench:q consume "$HANDLER_N" | awk '{ print $(NF - 1) }')")
  fi
  "$HQ" -q bench:q emit --no-publish --file "$WORK/conc.jsonl" >/dev/null
  C1_RATES+=("$(rate1 "$CONC_N" "$(timed "$HQ" -q bench:q drain --exec 'sleep 0.05; cat > /dev/null')")")
  "$HQ" -q bench:q emit --no-publish --file "$WORK/conc.jsonl" >/dev/null
  C8_RATES+=("$(rate1 "$CONC_N" "$(timed "$HQ" -q bench:q drain --concurrency 8 --exec 'sleep 0.05; cat > /dev/null')")")
  LEFT=$(( $($R llen bench:q) + $($R llen bench:q:processing) ))
  [ "$LEFT" -eq 0 ] || { echo "a handler run left $LEFT messages behind" >&2; exit 1; }
done

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

# the exporter: scrape time and Redis commands per scrape, for 1, 10 and 100 queues
# shellcheck source=/dev/null
source scripts/bench-exporter.sh

# SQS (moto's emulator): emit and migrate, with the emulator's own ceiling
# shellcheck source=/dev/null
source scripts/bench-sqs.sh

if [ -x scripts/bench-dlq.sh ]; then
  # shellcheck source=/dev/null
  source scripts/bench-dlq.sh
fi

row "redis-benchmark LPUSH -c1 -P64 -d800" "$(median %.0f "${LPUSH_ALL[@]}") ops/s" "1.00" "" "" "the physical limit (median; min $(printf '%s\n' "${LPUSH_ALL[@]}" | sort -g | head -1), max $(max "${LPUSH_ALL[@]}"), ${#LPUSH_ALL[@]} runs)"
row "redis-benchmark PING -c1" "${PING_OPS%.*} ops/s" "" "" "" "$(awk -v o="$PING_OPS" 'BEGIN { printf "%.0f us per round trip", 1e6 / o }')"
r=$(median %.2f "${EMIT_RATIOS[@]}")
row "emit --file $N (publish on)" "$(median %.0f "${EMIT_RATES[@]}") msg/s" "$r" ">=0.45" "$(verdict "$r" 0.45)" "runs ${EMIT_RATES[*]}, ratios ${EMIT_RATIOS[*]}; envelope ${ENV_BYTES}B"
r=$(median %.2f "${EMIT_NP_RATIOS[@]}")
row "emit --file $N --no-publish" "$(median %.0f "${EMIT_NP_RATES[@]}") msg/s" "$r" ">=0.45" "$(verdict "$r" 0.45)" "runs ${EMIT_NP_RATES[*]}, ratios ${EMIT_NP_RATIOS[*]}"
r=$(median %.2f "${DRAIN_RATIOS[@]}")
row "drain > /dev/null $N (acked)" "$(median %.0f "${DRAIN_RATES[@]}") msg/s" "$r" ">=0.15" "$(verdict "$r" 0.15)" "runs ${DRAIN_RATES[*]}, ratios ${DRAIN_RATIOS[*]}"
r=$(median %.2f "${MINT_RATIOS[@]}")
row "emit --file $N mint requests" "$(median %.0f "${MINT_RATES[@]}") msg/s" "$r" ">=0.45" "$(verdict "$r" 0.45)" "runs ${MINT_RATES[*]}, ratios ${MINT_RATIOS[*]}; request ${MINT_BYTES}B, deployer-validated"
r=$(median %.2f "${PIPE_RATIOS[@]}")
row "drain | cat $N (acked when read)" "$(median %.0f "${PIPE_RATES[@]}") msg/s" "$r" ">=0.50" "$(verdict "$r" 0.50)" "runs ${PIPE_RATES[*]}, ratios ${PIPE_RATIOS[*]}"
r=$(median %.2f "${FILE_RATIOS[@]}")
row "drain > file $N (acked when flushed)" "$(median %.0f "${FILE_RATES[@]}") msg/s" "$r" ">=0.50" "$(verdict "$r" 0.50)" "runs ${FILE_RATES[*]}, ratios ${FILE_RATIOS[*]}"
EXEC_RATE=$(median %.0f "${EXEC_RATES[@]}")
STREAM_RATE=$(median %.0f "${STREAM_RATES[@]}")
row "drain --exec $EXEC_N (process each)" "$EXEC_RATE msg/s" "" "" "" "runs ${EXEC_RATES[*]}; handler 'cat > /dev/null'"
r=$(ratio "$STREAM_RATE" "$EXEC_RATE")
row "drain --exec-stream $HANDLER_N" "$STREAM_RATE msg/s" "${r}x" ">=20x" "$(verdict "$r" 20)" "runs ${STREAM_RATES[*]}; ratio to --exec; handler: awk answering ok N"
if [ -z "$PY_SKIP" ]; then
  PY_RATE=$(median %.0f "${PY_RATES[@]}")
  r=$(ratio "$STREAM_RATE" "$PY_RATE")
  row "  vs py_reference.py consume $HANDLER_N" "$PY_RATE msg/s" "${r}x" ">=1x" "$(verdict "$r" 1)" "runs ${PY_RATES[*]}; ratio: --exec-stream to the Python reference consumer"
else
  row "  vs py_reference.py consume" "-" "" ">=1x" "" "$PY_SKIP"
fi
C1_RATE=$(median %.1f "${C1_RATES[@]}")
C8_RATE=$(median %.1f "${C8_RATES[@]}")
r=$(ratio "$C8_RATE" "$C1_RATE")
row "drain --exec 50ms --concurrency 8" "$C8_RATE msg/s" "${r}x" ">=6x" "$(verdict "$r" 6)" "$CONC_N messages; ratio to --concurrency 1 ($C1_RATE msg/s; runs ${C1_RATES[*]} / ${C8_RATES[*]})"
r=$(ratio "$DEPTH_MS" "$LLEN_MS")
row "depth (whole process)" "$(printf '%.2f ms' "$DEPTH_MS")" "$r" "<=1.5" "$(verdict "$r" 1.5 le)" "ratio to redis-cli llen $(printf '%.2f ms' "$LLEN_MS") (hyperfine, 300 runs)"
row "start-up (--version)" "$(printf '%.2f ms' "$VERSION_MS")" "" "<5ms" "$(verdict "$VERSION_MS" 5 le)" "hyperfine, 500 runs"
if [ -n "${REPLAY_RATES:-}" ]; then
  r=${REPLAY_RATIOS[0]}
  ok=$(verdict "$r" 0.30); [ "$(verdict "$REPLAY_RSS_MB" 29.99 le)" = ok ] && [ "$REPLAY_SLOW" -eq 0 ] || ok=MISS
  row "dlq replay $DLQ_N" "${REPLAY_RATES[0]} msg/s" "$r" ">=0.30" "$ok" "peak RSS $REPLAY_RSS_MB MB (< 30); $REPLAY_SLOWLOG; moved $MOVED; entry ${ENTRY_BYTES}B"
  r=${PURGE_RATIOS[0]}
  ok=$(verdict "$r" 0.30); [ "$(verdict "$PURGE_RSS_MB" 29.99 le)" = ok ] || ok=MISS
  row "dlq purge --export $DLQ_N" "${PURGE_RATES[0]} msg/s" "$r" ">=0.30" "$ok" "peak RSS $PURGE_RSS_MB MB (< 30); $PURGE_SLOWLOG; left $LEFT_DLQ; export $EXPORT_MB MB"
fi
echo
echo "Targets are the issue's, as ratios to LPUSH -P64 on its reference machine ($REF ops/s): 150k/s -> 0.45,"
echo "50k/s -> 0.15, 100k/s -> 0.30. Each ratio divides by the better of the baselines measured just before and"
echo "just after that run."
echo
printf '%-36s %14s %6s %7s  %-4s  %s\n' "work" "figure" "ratio" "target" "" "notes"
printf '%s\n' "${rows[@]}"

#!/usr/bin/env bash
# How fast can any at-least-once drain of a Redis list be, next to LPUSH? Issue 16 asks
# `drain > file` for 0.5 of `redis-benchmark LPUSH -P64`. This script measures what the server
# alone spends per message (its used_cpu_user + used_cpu_sys, from INFO, around each run) for:
#   lpush     one LPUSH per message: the reference (what LPUSH -P64 does)
#   floor     MULTI + LMOVE x B + EXEC, then LREM x B: two list writes a message, no lease at all
#             (a crash leaves unleased elements that reap-stale adopts a full visibility later)
#   leased    the floor plus one lease per element in the tool's layout (ZADD GT, ZREM)
#   digest    the floor plus one lease per element keyed on its SHA-1 instead of its bytes
#   tool      `hokusai-queue drain > file` itself (a MULTI of RPOPLPUSH per batch, promotion, no
#             lease: a file takes a batch at once; the next batch claimed while this one is written)
#   pipe      `hokusai-queue drain | cat > file` (the same, plus one lease per batch and its record)
# Each protocol is written once by python3 and sent with `redis-cli --pipe`, so the client's
# speed does not enter the server's CPU figure; its wall rate is that of a client doing nothing
# but sending prepared commands, against `redis-benchmark LPUSH -P64` (median of 3) on the same
# server. Usage:
#   scripts/drain-ceiling.sh                    # N=50000 messages of ~800 bytes, B=500 a batch
#   N=100000 HQ_BIN=target/release/hokusai-queue scripts/drain-ceiling.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50000}
B=${B:-500}
if [ -n "${HQ_BIN:-}" ]; then HQ=$HQ_BIN; else cargo build --release --locked -q; HQ=$PWD/target/release/hokusai-queue; fi
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --daemonize yes \
  --logfile "$WORK/redis.log" >/dev/null
trap 'redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
R() { redis-cli -p "$PORT" "$@"; }
for _ in $(seq 100); do R ping >/dev/null 2>&1 && break; sleep 0.05; done

python3 - "$N" "$B" "$WORK" <<'PY'
import hashlib, json, sys, uuid
n, b, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
q, p, l = b"hokusai:model_ready_queue", b"hokusai:model_ready_queue:processing", b"leases"
def cmd(*a):
    out = [b"*%d\r\n" % len(a)]
    for x in a:
        x = x if isinstance(x, bytes) else str(x).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(x), x))
    return b"".join(out)
els = []
for i in range(n):
    payload = {"model_id": "model-%d" % i, "token_symbol": "msg-ai", "metric_name": "accuracy",
               "baseline_value": 0.85, "current_value": 0.88, "model_name": "msg-ai-classifier",
               "model_version": "3", "contributor_address": "0x" + "ab" * 20, "notes": "x" * 420}
    els.append(json.dumps({"message_id": str(uuid.uuid4()), "message_type": "model_ready_to_deploy",
                           "timestamp": "2026-11-30T12:00:00+00:00", "payload": payload,
                           "retry_count": 0, "max_retries": 3}, separators=(",", ":")).encode())
with open(work + "/lpush.proto", "wb") as f:
    for e in els:
        f.write(cmd(b"LPUSH", q, e))
deadline = 10**13
for name in ("floor", "leased", "digest"):
    with open("%s/%s.proto" % (work, name), "wb") as f:
        for s in range(0, n, b):
            batch = els[s:s + b]
            f.write(cmd(b"MULTI"))
            for _ in batch:
                f.write(cmd(b"LMOVE", q, p, b"RIGHT", b"LEFT"))
            f.write(cmd(b"EXEC"))
            members = batch if name == "leased" else [hashlib.sha1(e).hexdigest().encode() for e in batch]
            if name != "floor":
                args = [b"ZADD", l, b"GT"]
                for m in members:
                    args += [deadline, m]
                f.write(cmd(*args))
            for e in batch:
                f.write(cmd(b"LREM", p, -1, e))
            if name != "floor":
                f.write(cmd(b"ZREM", l, *members))
print("%d messages of %d bytes, batches of %d" % (n, len(els[0]), b), file=sys.stderr)
PY

cpu() { R info cpu | awk -F: '/used_cpu_(sys|user):/ {s += $2} END {printf "%.6f", s}'; }
now() { date +%s.%N; }
# Runs "$@"; prints the server's CPU microseconds per message it cost, and the wall rate.
server_us() {
  local c0 c1 t0 t1
  c0=$(cpu); t0=$(now)
  "$@"
  t1=$(now); c1=$(cpu)
  python3 -c "print('%.2f %.0f' % (($c1 - $c0) / $N * 1e6, $N / ($t1 - $t0)))"
}
fill() { R flushall >/dev/null; R --pipe <"$WORK/lpush.proto" >/dev/null; }
check_empty() {
  local left
  left=$(( $(R llen hokusai:model_ready_queue) + $(R llen hokusai:model_ready_queue:processing) ))
  [ "$left" = 0 ] || { echo "drain-ceiling: $1 left $left messages behind" >&2; exit 1; }
}
declare -A US
P64=$(for _ in 1 2 3; do
  R flushall >/dev/null
  redis-benchmark -p "$PORT" -c 1 -P 64 -n "$N" -d 800 -t lpush -q 2>/dev/null | tr '\r' '\n' |
    awk '/LPUSH:/ {print $2}' | tail -1
done | sort -n | sed -n 2p)
R flushall >/dev/null
US[lpush]=$(server_us sh -c "redis-cli -p $PORT --pipe <'$WORK/lpush.proto' >/dev/null")
for name in floor leased digest; do
  fill
  US[$name]=$(server_us sh -c "redis-cli -p $PORT --pipe <'$WORK/$name.proto' >/dev/null")
  check_empty "$name"
done
fill
US[tool]=$(server_us sh -c "HOKUSAI_REDIS_URL=redis://127.0.0.1:$PORT '$HQ' drain >'$WORK/out.jsonl' 2>/dev/null")
check_empty tool
[ "$(wc -l <"$WORK/out.jsonl")" = "$N" ] || { echo "drain-ceiling: the tool wrote $(wc -l <"$WORK/out.jsonl") lines, not $N" >&2; exit 1; }
fill
US[pipe]=$(server_us sh -c "HOKUSAI_REDIS_URL=redis://127.0.0.1:$PORT '$HQ' drain 2>/dev/null | cat >'$WORK/out.jsonl'")
check_empty pipe
[ "$(wc -l <"$WORK/out.jsonl")" = "$N" ] || { echo "drain-ceiling: the tool wrote $(wc -l <"$WORK/out.jsonl") lines into the pipe, not $N" >&2; exit 1; }

echo "redis-benchmark LPUSH -c1 -P64 -d800, median of 3: $P64 ops/s"
printf '%-8s %14s %18s %12s %18s\n' protocol "server us/msg" "server ceiling" "wall msg/s" "wall vs LPUSH-P64"
for name in lpush floor leased digest tool pipe; do
  read -r us rate <<<"${US[$name]}"
  read -r us0 _ <<<"${US[lpush]}"
  printf '%-8s %14s %18s %12s %18s\n' "$name" "$us" "$(python3 -c "print('%.2f' % ($us0 / $us))")" "$rate" \
    "$(python3 -c "print('%.2f' % ($rate / $P64))")"
done
echo "server ceiling: the rate the server's own work allows, as a fraction of one LPUSH a message"

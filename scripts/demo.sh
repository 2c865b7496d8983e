#!/usr/bin/env bash
# Builds the tool and runs its main job against a throwaway local Redis: starts a private
# redis-server (127.0.0.1, a free port, a temporary directory, no persistence), emits a
# model_ready_to_deploy event onto a demo queue of its own, shows depth and the message, drains
# it, deletes the queue's keys, and stops the server. It touches no other Redis: the caller's
# connection settings (HOKUSAI_REDIS_URL, REDIS_URL, REDIS_HOST, ..., MINT_*) are ignored.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "demo: $*" >&2; }

# Nothing from the caller's environment may choose the server, the queue or the credentials.
for v in $(compgen -e); do
  case "$v" in REDIS_* | REDISCLI_* | HOKUSAI_* | MINT_*) unset "$v" ;; esac
done

scripts/ensure-redis.sh
cargo build --release --locked

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hokusai-queue-demo.XXXXXX")
pid=""
port=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    say "stopped the redis-server it started (pid $pid, 127.0.0.1:$port)"
  fi
  rm -rf "$tmp"
  say "removed $tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# PONG, not just exit 0: redis-cli exits 0 on NOAUTH too (a password-protected server).
pong() { [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]; }
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A private server on a free port: nothing else listens there, and it answers PONG.
for _ in $(seq 20); do
  port=$((20000 + RANDOM % 40000))
  in_use "$port" && continue
  redis-server --bind 127.0.0.1 --port "$port" --dir "$tmp" --save "" --appendonly no \
    --logfile "$tmp/redis.log" --daemonize no >/dev/null 2>>"$tmp/redis.log" &
  pid=$!
  for _ in $(seq 50); do
    pong "$port" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  pong "$port" && break
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
done
if [ -z "$pid" ]; then
  say "could not start a redis-server on 127.0.0.1 (log below)"
  cat "$tmp/redis.log" >&2 || true
  exit 1
fi
url="redis://127.0.0.1:$port"
queue="hokusai:demo:$$"
say "started a private redis-server (pid $pid) on $url, data in $tmp, no persistence"
say "queue $queue (profile envelope); no other Redis and no other queue is touched"

hq=(./target/release/hokusai-queue --redis-url "$url" --connect-retries 0 --queue "$queue" --profile envelope)
set -x
"${hq[@]}" emit --model-id demo-model --token-symbol msg-ai --metric-name accuracy \
  --baseline-value 0.85 --current-value 0.88 --model-name msg-ai-classifier --model-version 3
"${hq[@]}" depth
"${hq[@]}" peek --from newest --limit 1
"${hq[@]}" drain
"${hq[@]}" depth
{ set +x; } 2>/dev/null

keys=$(redis-cli -h 127.0.0.1 -p "$port" --scan --pattern "$queue*")
if [ -n "$keys" ]; then
  # shellcheck disable=SC2086 # the key names have no spaces: hokusai:demo:<pid>[:...]
  redis-cli -h 127.0.0.1 -p "$port" del $keys >/dev/null
  say "deleted the demo queue's keys: $(tr '\n' ' ' <<<"$keys")"
else
  say "the demo queue left no keys behind (drained)"
fi

#!/usr/bin/env bash
# Builds the tool and runs its main job against a local Redis (127.0.0.1:6379, started here
# when none answers): emit a model_ready_to_deploy event, then show depth and the message.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-redis.sh
cargo build --release --locked
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "no Redis on 127.0.0.1:6379: starting one (no persistence)" >&2
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 50); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
hq=./target/release/hokusai-queue
$hq emit --model-id demo-model --token-symbol msg-ai --metric-name accuracy \
  --baseline-value 0.85 --current-value 0.88 --model-name msg-ai-classifier --model-version 3
$hq depth
$hq peek --from newest --limit 1

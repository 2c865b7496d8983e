#!/usr/bin/env bash
# The long concurrency campaign (issue 12): 20,000 envelopes drained by three `drain --exec`
# consumers (handler failing ~10% at random), `reap-stale` and `dlq replay` in loops beside
# them, consumers SIGKILLed and replaced mid-run. It runs the ignored tests of
# tests/concurrency.rs in release mode against its own redis-server and prints the figures
# (lost, duplicated and why, stranded, reclaims, replays). Bounded: it stops by itself (each
# experiment gives up after 240 s). Exit status: the tests'.
#
#   scripts/campaign.sh            # the ignored (long) experiments
#   ALL=1 scripts/campaign.sh      # also the always-on ones (envelope mix, mint mix)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-redis.sh
cargo build --release --locked
args=(--ignored)
if [ "${ALL:-0}" = 1 ]; then args=(--include-ignored); fi
start=$(date +%s)
status=0
cargo test --release --locked --test main -- "${args[@]}" --nocapture --test-threads 1 concurrency || status=$?
echo "campaign: exit ${status} after $(( $(date +%s) - start ))s" >&2
exit "$status"

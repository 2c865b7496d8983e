#!/usr/bin/env bash
# The whole test suite, from a fresh machine: real redis-server processes, no mocks.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-redis.sh
# The `top` tests drive the binary in a tmux pane.
scripts/ensure-tmux.sh
# promtool checks the alert rules and a real scrape of the exporter (tests/exporter.rs).
HOKUSAI_PROMTOOL=$(scripts/ensure-promtool.sh)
export HOKUSAI_PROMTOOL
# moto's SQS emulator (tests/sqs.rs, tests/migrate.rs): a virtual environment of the project's own.
HOKUSAI_MOTO_SERVER=$(scripts/ensure-moto.sh)
export HOKUSAI_MOTO_SERVER
cargo test --locked

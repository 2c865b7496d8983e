#!/usr/bin/env bash
# The whole test suite, from a fresh machine: real redis-server processes, no mocks.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-redis.sh
cargo test --locked

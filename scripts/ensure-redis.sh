#!/usr/bin/env bash
# Installs redis-server (and redis-cli, redis-benchmark) from Debian's packages when missing.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
  exit 0
fi
"$(dirname "$0")/apt-install.sh" redis-server redis-server redis-tools
# The package may start a system service; the tests start their own servers and do not need it.
command -v redis-server >/dev/null

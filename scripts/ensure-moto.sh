#!/usr/bin/env bash
# Makes moto's SQS emulator (`moto_server`, from PyPI's `moto[server]`) available in a virtual
# environment of the project's own, for the SQS tests (tests/support/sqs.rs) and the benchmark.
# Prints the path of moto_server on stdout (scripts/test.sh exports it as HOKUSAI_MOTO_SERVER).
# Nothing it starts talks to AWS: moto answers the SQS API locally.
#
#   scripts/ensure-moto.sh                # -> target/moto-venv/bin/moto_server
#   HOKUSAI_MOTO_SERVER=/opt/moto_server scripts/ensure-moto.sh   # checks and prints that one
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${HOKUSAI_MOTO_SERVER:-}" ] && [ -x "$HOKUSAI_MOTO_SERVER" ]; then
  echo "$HOKUSAI_MOTO_SERVER"; exit 0
fi
VENV="${HOKUSAI_MOTO_VENV:-$PWD/target/moto-venv}"
BIN="$VENV/bin/moto_server"
if [ -x "$BIN" ] && "$VENV/bin/python" -c 'import moto.server, flask' >/dev/null 2>&1; then
  echo "$BIN"; exit 0
fi
PY=$(command -v python3 || true)
if [ -z "$PY" ]; then
  echo "python3 is missing: the SQS tests need it for moto's emulator (apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null 2>&1; }
  fi
  "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1 || {
    echo "python3 cannot make a virtual environment: install python3-venv" >&2; exit 1; }
fi
echo "moto_server not found: installing moto[server] into $VENV" >&2
rm -rf "$VENV"
"$PY" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check 'moto[server]>=5,<6' >&2
"$VENV/bin/python" -c 'import moto.server, flask' >/dev/null
echo "$BIN"

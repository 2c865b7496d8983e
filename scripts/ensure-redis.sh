#!/usr/bin/env bash
# Installs redis-server (and redis-cli, redis-benchmark) from Debian's packages when missing.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
  exit 0
fi
install="apt-get update && apt-get install -y redis-server redis-tools"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "redis-server and redis-cli are missing: install Redis (server and CLI) with this system's package manager, then run again" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "redis-server is missing and installing it needs root (there is no sudo): as root, run: $install" >&2
  exit 1
fi
echo "redis-server not found: installing it with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! ${sudo[@]+"${sudo[@]}"} apt-get update -qq || ! ${sudo[@]+"${sudo[@]}"} apt-get install -y -qq redis-server redis-tools >/dev/null; then
  echo "could not install redis-server: as root, run: $install" >&2
  exit 1
fi
# The package may start a system service; the tests start their own servers and do not need it.
command -v redis-server >/dev/null

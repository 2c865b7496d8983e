#!/usr/bin/env bash
# Installs tmux from Debian's packages when missing: the `top` tests run the binary in a tmux
# pane (a real pseudo-terminal) and fail without it.
set -euo pipefail
command -v tmux >/dev/null 2>&1 && exit 0
install="apt-get update && apt-get install -y tmux"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "tmux is missing: install it with this system's package manager, then run again" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "tmux is missing and installing it needs root (there is no sudo): as root, run: $install" >&2
  exit 1
fi
echo "tmux not found: installing it with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! ${sudo[@]+"${sudo[@]}"} apt-get install -y -qq tmux >/dev/null 2>&1; then
  if ! ${sudo[@]+"${sudo[@]}"} apt-get update -qq || ! ${sudo[@]+"${sudo[@]}"} apt-get install -y -qq tmux >/dev/null; then
    echo "could not install tmux: as root, run: $install" >&2
    exit 1
  fi
fi
command -v tmux >/dev/null

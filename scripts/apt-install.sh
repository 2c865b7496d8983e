#!/usr/bin/env bash
# apt-install.sh WHAT PACKAGE...: installs Debian packages for WHAT (a name for messages), as
# root or through sudo; without either, or without apt-get, says what to run and exits 1.
set -euo pipefail
what=$1; shift
install="apt-get update && apt-get install -y $*"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$what is missing: install it ($*) with this system's package manager, then run again" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "$what is missing and installing it needs root (there is no sudo): as root, run: $install" >&2
  exit 1
fi
echo "$what not found: installing $* with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine's package lists may be missing or stale: update once if the install fails.
if ! ${sudo[@]+"${sudo[@]}"} apt-get install -y -qq "$@" >/dev/null 2>&1; then
  if ! ${sudo[@]+"${sudo[@]}"} apt-get update -qq || ! ${sudo[@]+"${sudo[@]}"} apt-get install -y -qq "$@" >/dev/null; then
    echo "could not install $what: as root, run: $install" >&2
    exit 1
  fi
fi

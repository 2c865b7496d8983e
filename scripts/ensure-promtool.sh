#!/usr/bin/env bash
# Makes promtool (from Debian's `prometheus` package) available WITHOUT installing or starting a
# Prometheus service: the .deb is downloaded and unpacked into a cache directory. Prints the path
# of the promtool binary on stdout (scripts/test.sh exports it as HOKUSAI_PROMTOOL, where the
# alert-rule tests look first). A promtool already on PATH is used as is.
#
#   scripts/ensure-promtool.sh            # -> /root/.cache/hokusai-queue/promtool/usr/bin/promtool
#   HOKUSAI_PROMTOOL=/opt/promtool scripts/ensure-promtool.sh   # checks and prints that one
set -euo pipefail
if [ -n "${HOKUSAI_PROMTOOL:-}" ] && [ -x "$HOKUSAI_PROMTOOL" ]; then
  echo "$HOKUSAI_PROMTOOL"; exit 0
fi
if command -v promtool >/dev/null 2>&1; then
  command -v promtool; exit 0
fi
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/hokusai-queue/promtool"
BIN="$CACHE/usr/bin/promtool"
if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "$BIN"; exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
  echo "promtool is missing and this is not a Debian-like system: install promtool (it comes with Prometheus, https://prometheus.io/download/) and put it on PATH or in \$HOKUSAI_PROMTOOL" >&2
  exit 1
fi
echo "promtool not found: unpacking Debian's prometheus package into $CACHE (no service is installed or started)" >&2
mkdir -p "$CACHE"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# `apt-get download` needs no root; it needs package lists, which `apt-get update` (root) makes.
if ! (cd "$tmp" && apt-get download -qq prometheus >/dev/null 2>&1); then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq >/dev/null 2>&1 || true
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq >/dev/null 2>&1 || true
  fi
  (cd "$tmp" && apt-get download -qq prometheus >/dev/null) || {
    echo "could not download Debian's prometheus package (apt-get download prometheus): install promtool by hand and set HOKUSAI_PROMTOOL to it" >&2
    exit 1
  }
fi
dpkg -x "$tmp"/prometheus_*.deb "$tmp/root"
install -D -m 0755 "$tmp/root/usr/bin/promtool" "$BIN"
"$BIN" --version >/dev/null
echo "$BIN"

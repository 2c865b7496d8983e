#!/usr/bin/env bash
# Installs tmux from Debian's packages when missing: the `top` tests run the binary in a tmux
# pane (a real pseudo-terminal) and fail without it.
set -euo pipefail
command -v tmux >/dev/null 2>&1 && exit 0
"$(dirname "$0")/apt-install.sh" tmux tmux
command -v tmux >/dev/null

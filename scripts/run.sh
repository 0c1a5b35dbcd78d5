#!/usr/bin/env bash
# Sets up the machine if needed, builds the shell and runs a mini-app (by default the
# todo example). Without a display it runs under Xvfb, so it still works on a server;
# pass --automation SOCKET to drive it from a program.
#   scripts/run.sh                       # the todo example
#   scripts/run.sh examples/todo --page /pages/stats/stats
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh
go build -tags "$SANDFRAME_TAGS" -o bin/shell ./cmd/shell
dir="${1:-examples/todo}"
[ $# -gt 0 ] && shift
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display; running under Xvfb (use --automation SOCKET to drive it)" >&2
  exec xvfb-run -a -s "-screen 0 1280x900x24" bin/shell run "$dir" "$@"
fi
exec bin/shell run "$dir" "$@"

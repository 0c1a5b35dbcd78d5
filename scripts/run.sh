#!/usr/bin/env bash
# Sets up the machine if needed, builds the shell and opens it: the launcher, with the
# example mini-apps the shell ships (todo, widgets) installed on first run. Given a
# folder, a bundle or an app id, it runs that one app instead. Without a display it runs
# under Xvfb, so it still works on a server; pass --automation SOCKET to drive it.
#   scripts/run.sh                                   # the launcher
#   scripts/run.sh examples/todo --page /pages/stats/stats
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh
go build -tags "$SANDFRAME_TAGS" -o bin/shell ./cmd/shell
go build -tags "$SANDFRAME_TAGS" -o bin/shell-logic ./cmd/shell-logic # the logic children (docs/isolate.md)
cmd=(bin/shell)
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  cmd+=(run "$1")
  shift
fi
cmd+=("$@")
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display; running under Xvfb (use --automation SOCKET to drive it)" >&2
  exec xvfb-run -a -s "-screen 0 1280x900x24" "${cmd[@]}"
fi
exec "${cmd[@]}"

#!/usr/bin/env bash
# Installs what building and testing Sandframe needs, when it is missing: the GTK and
# WebKitGTK development packages, Xvfb (a display for the WebView tests and for machines
# without a screen), ImageMagick and xdotool (screenshots and key presses in tests), the
# desktop tools `shell desktop-install` runs and its tests query (shared-mime-info,
# desktop-file-utils, xdg-utils, and libfile-mimeinfo-perl, whose `mimetype` xdg-mime uses
# outside GNOME and KDE), fonts-dejavu-extra (a light font the WXSS e2e test bundles as an
# @font-face), Node.js and npm with the automator suite's pinned packages
# (e2e/automator: WeChat's miniprogram-automator, docs/automator.md), and the Go modules.
# Safe to run again: it only installs what is not there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in libgtk-3-dev libwebkit2gtk-4.0-dev xvfb xauth imagemagick xdotool x11-utils procps gcc pkg-config \
  shared-mime-info desktop-file-utils xdg-utils libfile-mimeinfo-perl fonts-dejavu-extra; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
# Node.js and npm run the automator suite; a node installed another way (nvm, a
# tarball) is used as it is.
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if ((${#need[@]})); then
  echo "setup: installing ${need[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  else
    echo "setup: Go is not installed; install Go $(sed -n 's/^go //p' go.mod) or newer (https://go.dev/dl/)" >&2
    exit 1
  fi
fi
go mod download

# The automator suite's packages, exactly as package-lock.json pins them.
if [ ! -f e2e/automator/node_modules/miniprogram-automator/package.json ]; then
  echo "setup: npm ci in e2e/automator" >&2
  (cd e2e/automator && npm ci --no-audit --no-fund >/dev/null)
fi

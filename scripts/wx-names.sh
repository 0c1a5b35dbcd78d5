#!/bin/sh
# Regenerates internal/hostapi/wxnames.txt from WeChat's typings (miniprogram-api-typings on npm):
# the methods of interface Wx, names and stand-in shapes only. Run it by hand when the
# typings are upgraded, review the diff, commit it. CI never runs it: CI reads the
# checked-in file.
#
#   scripts/wx-names.sh [VERSION]      (default 5.2.3)
set -eu
version=${1:-5.2.3}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "miniprogram-api-typings@$version" >/dev/null && tar xzf miniprogram-api-typings-*.tgz)
cd "$root"
go run ./scripts/wxnames -in "$tmp/package/types/wx/lib.wx.api.d.ts" -out internal/hostapi/wxnames.txt -version "$version"

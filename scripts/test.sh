#!/usr/bin/env bash
# Runs every test: formatting and vet, the unit tests with the race detector, the
# end-to-end tests against the real WebView (under Xvfb), and a short run of each fuzz
# target. .ci/run calls this.
#   FUZZTIME=10m scripts/test.sh   # longer fuzzing (see docs/fuzzing.md)
# The default bounds each target by executions, not time: a time bound fails with
# "context deadline exceeded" on a loaded 2-core machine without any crash.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh

echo "== gofmt"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$bad" ]; then echo "gofmt would change:"; echo "$bad"; exit 1; fi

echo "== go vet"
go vet -tags "$SANDFRAME_TAGS" ./...

# -count=1: the end-to-end tests run a binary and read examples the test cache cannot see.
echo "== go test -race (WebView tests under Xvfb)"
mkdir -p artifacts
xvfb-run -a -s "-screen 0 1280x900x24" \
  go test -race -count=1 -tags "$SANDFRAME_TAGS" -timeout 20m ./... 2>&1 | tee artifacts/test.log
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"

echo "== fuzz (${FUZZTIME:=20000x} each)"
for target in $(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do
  pkg="./$(dirname "${target#./}")"
  for fn in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$target"); do
    echo "-- $pkg $fn"
    go test -tags "$SANDFRAME_TAGS" -run '^$' -fuzz "^${fn}\$" -fuzztime "$FUZZTIME" "$pkg"
  done
done
echo "all tests passed"

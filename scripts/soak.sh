#!/usr/bin/env bash
# Endurance run (docs/soak.md); not part of scripts/test.sh or CI.
#   scripts/soak.sh            # 60 seconds, 50 apps
#   scripts/soak.sh 10m        # ten minutes
#   scripts/soak.sh 60s 10     # fewer apps
# 50 installed mini-apps in one launcher shell under Xvfb, each looping over storage,
# wx.request to a loopback https server, setData and navigation, hidden and shown in
# turn by the driver (e2e/soak_test.go, TestSoak). It prints RSS, Go heap, goroutines,
# descriptors, WebKit processes, logic children and the launcher's apps.list latency
# when all apps run, every minute, at the end and after every app has stopped. The
# whole output goes to artifacts/soak-DURATION.log.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
dur=${1:-60s}
apps=${2:-50}
mkdir -p artifacts
set +e
SANDFRAME_SOAK=$dur SANDFRAME_SOAK_APPS=$apps xvfb-run -a -s "-screen 0 1280x900x24" \
  go test -count=1 -tags "$SANDFRAME_TAGS" -timeout 150m -run '^TestSoak$' -v ./e2e >"artifacts/soak-$dur.log" 2>&1
status=$?
set -e
grep -E '^(soak:|--- |PASS|FAIL|ok )|soak_test.go' "artifacts/soak-$dur.log" || true
exit $status

#!/usr/bin/env bash
# Runs the benchmarks that carry Sandframe's speed targets and prints them as a table.
# The WebView round trip needs a display: without one it runs under Xvfb.
#   BENCHTIME=2s scripts/bench.sh
#   scripts/bench.sh --launch    also the launch benchmarks (shell run, launcher click: real windows, minutes)
#   scripts/bench.sh --memory    only the memory of SANDFRAME_BENCH_APPS (50) idle apps in one shell (long)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh >&2
launch=0
for arg in "$@"; do
  case "$arg" in
    --launch) launch=1 ;;
    --memory)
      display=()
      [ -n "${DISPLAY:-}" ] || display=(xvfb-run -a -s "-screen 0 1280x900x24")
      echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
      "${display[@]}" go test -timeout 3h -tags "$SANDFRAME_TAGS" -run '^$' -bench 'BenchmarkManyApps$' -benchtime 1x -v ./e2e
      exit ;;
    *) echo "bench.sh: unknown flag $arg" >&2; exit 2 ;;
  esac
done
: "${BENCHTIME:=1s}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
run() { # package, benchmark regexp
  go test -timeout 20m -tags "$SANDFRAME_TAGS" -run '^$' -bench "$2" -benchmem -benchtime "$BENCHTIME" "$1" | tee -a "$out" >&2
}
run ./logic 'BenchmarkSetDataOneField$|BenchmarkSetDataList1000$|BenchmarkColdStartTodo$'
run ./bridge 'BenchmarkDecodeEvent$|BenchmarkDecodeEventTokenPath$|BenchmarkGatewayOverhead$'
run ./perms 'BenchmarkCheckGranted$'
run ./logic 'BenchmarkRunawayStop$|BenchmarkTaskBudget$'
run ./isolate 'BenchmarkInProcessRoundTrip$|BenchmarkChildRoundTrip$|BenchmarkIdleTodoMemory$|BenchmarkChildStart$'
# 10,000 keys set and read, encrypted against the same schema in plaintext: one op is long.
go test -timeout 20m -tags "$SANDFRAME_TAGS" -run '^$' -bench 'BenchmarkSetGet10k$' -benchtime 2x ./storage | tee -a "$out" >&2
run ./appstore/bundle 'BenchmarkVerifyExtract5MB$'
run ./appstore/registry 'BenchmarkInstall5MB$'
run ./appstore/subpkg 'BenchmarkSubpkgInstallCoreOnly$|BenchmarkSubpkgInstallWhole$|BenchmarkSubpkgFetch$'
run ./host 'BenchmarkLaunchTodoColdCache$|BenchmarkLaunchTodoWarmCache$|BenchmarkLoadCodeCache'
run ./cmd/shell 'BenchmarkLoadInstalledTodo'
run ./appstore/lint 'BenchmarkLintThroughput$'
run ./render/wxml 'BenchmarkCompileTodo$'
run ./launcher 'BenchmarkAppsList20$|BenchmarkAppDetails$'
display=()
[ -n "${DISPLAY:-}" ] || display=(xvfb-run -a -s "-screen 0 1280x900x24")
"${display[@]}" go test -tags "$SANDFRAME_TAGS" -run '^$' -bench 'BenchmarkWebView|BenchmarkOpenWindow' -benchmem -benchtime "$BENCHTIME" ./render | tee -a "$out" >&2
# Memory (PSS) of three more windows, this process and WebKit's, per window; fresh web processes.
"${display[@]}" go test -tags "$SANDFRAME_TAGS" -run '^$' -bench 'BenchmarkWindowMemory$' -benchtime 1x ./render | tee -a "$out" >&2
# The pre-warmed window shown, to its page's first frame (each op waits for the next spare).
"${display[@]}" go test -tags "$SANDFRAME_TAGS" -run '^$' -bench 'BenchmarkShowToFirstFrame$' -benchtime 8x ./render | tee -a "$out" >&2
# What a closed window leaves behind in this process (RSS and C heap per window, once warm).
"${display[@]}" go test -tags "$SANDFRAME_TAGS" -run '^$' -bench 'BenchmarkWindowChurn$' -benchtime 20x ./render | tee -a "$out" >&2
if [ "$launch" = 1 ]; then
  # Launch to first paint (docs/performance.md): shell run cold and warm disk, a launcher click with and without the pool.
  "${display[@]}" go test -timeout 60m -tags "$SANDFRAME_TAGS" -run '^$' -bench 'BenchmarkLaunchShellRun|BenchmarkLaunchFromLauncher' -benchtime 5x ./e2e | tee -a "$out" >&2
fi
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
printf '%-44s %14s %12s %12s  %s\n' benchmark time/op B/op allocs/op extra
awk '/^Benchmark/ {
  name=$1; sub(/-[0-9]+$/, "", name); t=""; b=""; a=""; extra=""
  for (i=3; i<NF; i+=2) {
    v=$i; u=$(i+1)
    if (u=="ns/op") { u2="ns"; if (v>=1e6) {v=v/1e6; u2="ms"} else if (v>=1e3) {v=v/1e3; u2="µs"}; t=sprintf("%.2f %s", v, u2) }
    else if (u=="B/op") b=v
    else if (u=="allocs/op") a=v
    else extra=extra v " " u "  "
  }
  printf "%-44s %14s %12s %12s  %s\n", name, t, b, a, extra
}' "$out"
# The bridge against the raw baseline of the same run (webview_go's own Bind round trip:
# the page awaits a bound Go function). A ratio ≤ 1.0 is as fast as raw webview_go.
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '/^Benchmark/ { name=$1; sub(/-[0-9]+$/, "", name); for (i=3; i<NF; i+=2) if ($(i+1)=="ns/op") ns[name]=$i
  for (i=3; i<NF; i+=2) if ($(i+1)=="page-ms/op" || $(i+1)=="msgs/s") extra[name]=extra[name] sprintf("  %s %s", $i, $(i+1))
  for (i=3; i<NF; i+=2) if ($(i+1) ~ /-ms$|^ratio-to-raw$/) m[name, $(i+1)]=$i }
END {
  raw = ns["BenchmarkWebViewRawBind"]
  if (raw == "") { print "no raw baseline (BenchmarkWebViewRawBind) in this run"; exit }
  printf "%-44s %10.0f µs  (raw webview_go Bind round trip = 1.00)\n", "BenchmarkWebViewRawBind", raw/1e3
  n = split("BenchmarkWebViewEventRoundTrip BenchmarkWebViewEventRoundTripInline BenchmarkWebViewRoundTrip BenchmarkWebViewRenderRoundTrip", list, " ")
  for (k=1; k<=n; k++) { b=list[k]; if (ns[b]=="") continue
    printf "%-44s %10.0f µs  ratio to raw %.2f (goal 2: EventRoundTrip ≤ 1.00)\n", b, ns[b]/1e3, ns[b]/raw }
  if (extra["BenchmarkWebViewBatch1000"] != "") printf "%-44s %s (goal: ≥ 500000 msgs/s)\n", "BenchmarkWebViewBatch1000", extra["BenchmarkWebViewBatch1000"]
  if (extra["BenchmarkWebViewRenderList1000"] != "") printf "%-44s %s (goal: ≤ 16 ms)\n", "BenchmarkWebViewRenderList1000", extra["BenchmarkWebViewRenderList1000"]
  if (extra["BenchmarkWebViewRenderOneField1000"] != "") printf "%-44s %s (goal: ≤ 1 ms in the page)\n", "BenchmarkWebViewRenderOneField1000", extra["BenchmarkWebViewRenderOneField1000"]
  # Goal 5, cold: shell run against webview_go alone (e2e/rawwebview), launches alternating.
  c = "BenchmarkLaunchShellRun/cold"
  if (m[c, "raw-ms"] != "") printf "%-44s %10.0f ms  raw webview_go %.0f ms, ratio to raw %.2f (goal 5: ≤ 250 ms cold)\n", c, m[c, "cold-ms"], m[c, "raw-ms"], m[c, "ratio-to-raw"]
  if (ns["BenchmarkDecodeEvent"] != "" && ns["BenchmarkDecodeEventTokenPath"] != "") printf "%-44s %10.2f µs  ratio to the token path %.2f (goal: ≤ 5 µs)\n", "BenchmarkDecodeEvent", ns["BenchmarkDecodeEvent"]/1e3, ns["BenchmarkDecodeEvent"]/ns["BenchmarkDecodeEventTokenPath"]
}' "$out"

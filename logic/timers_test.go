package logic

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTimers(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"app.js": `App({
  onLaunch() {
    let n = 0;
    const iv = setInterval(function (tag) {
      n++;
      console.log(tag + ' ' + n);
      if (n === 3) { clearInterval(iv); setTimeout(() => console.log('interval stopped at ' + n), 30); }
    }, 1, 'tick');
    const t1 = setTimeout(() => console.log('cancelled timeout ran'), 5);
    clearTimeout(t1);
    setTimeout((x, y) => console.log('timeout args ' + x + y), 0, 'a', 'b');
    console.log('ids ' + typeof iv + ' ' + (iv !== t1));
    try { setTimeout(42); } catch (e) { console.log(e.name + ': ' + e.message); }
  },
});`,
		"pages/a/a.js": "Page({})",
	}))
	a.logs.waitConsole(t, "interval stopped at 3")
	time.Sleep(20 * time.Millisecond)
	a.sync(t)
	got := a.logs.console()
	for _, want := range []string{"ids number true", "timeout args ab", "tick 1", "tick 2", "tick 3",
		"TypeError: setTimeout: the first argument must be a function"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
	for _, m := range got {
		if m == "tick 4" || m == "cancelled timeout ran" {
			t.Errorf("%q should not have run", m)
		}
	}
}

func TestTimerSetDataCoalescesPerTurn(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({ onShow() { setTimeout(() => { this.setData({ a: 1 }); this.setData({ b: 2 }); }, 0); } })`,
	}))
	a.launch(t, "pages/a/a")
	r := a.host.nextRender(t)
	if got := string(r.Ops[0].Diff); got != `{"a":1,"b":2}` || len(r.Ops) != 1 {
		t.Errorf("timer push = %+v", r.Ops)
	}
}

func TestStopInterruptsEndlessLoop(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({ spin() { for (;;) {} } })`,
	}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "spin", `{}`)
	time.Sleep(10 * time.Millisecond)
	done := make(chan struct{})
	go func() { a.rt.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(waitFor):
		t.Fatal("Stop did not interrupt an endless loop")
	}
	if a.rt.Deliver(envelope(t, "event", map[string]string{"target": "p1", "handler": "spin"})) {
		t.Error("Deliver after Stop returned true")
	}
	a.rt.Stop() // idempotent
	for _, r := range a.logs.snapshot() {
		if strings.Contains(r.msg, "uncaught") {
			t.Errorf("stopping was reported as an app error: %q", r.msg)
		}
	}
}

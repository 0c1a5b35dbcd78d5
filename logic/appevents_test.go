package logic

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// The app-wide events: wx.onAppShow/onAppHide after App.onShow/onHide, wx.onError after
// App.onError (a throwing listener is logged, not looped), off… removes one listener
// or all, wx.onUnhandledRejection, and the host's pageNotFound and themeChange reach
// App.onPageNotFound/onThemeChange and their wx listeners.
func TestAppEvents(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"app.js": `
const seen = (what) => console.log('ev ' + what);
App({
  onShow() { seen('App.onShow') },
  onHide() { seen('App.onHide') },
  onError(m) { seen('App.onError ' + m.split('\n')[0]) },
  onPageNotFound(r) { seen('App.onPageNotFound ' + r.path + ' ' + r.isEntryPage) },
  onThemeChange(r) { seen('App.onThemeChange ' + r.theme) },
});
const quiet = () => seen('removed listener ran');
wx.onAppShow(o => seen('onAppShow ' + o.path));
wx.onAppHide(() => seen('onAppHide'));
wx.onAppHide(quiet); wx.offAppHide(quiet);
wx.onError(m => { seen('onError ' + m.split('\n')[0]); throw new Error('listener throws') });
wx.onUnhandledRejection(r => seen('onUnhandledRejection ' + r.reason));
wx.onPageNotFound(r => seen('onPageNotFound ' + r.query.x));
wx.onThemeChange(r => seen('onThemeChange ' + r.theme));
`,
		"pages/a/a.js": `Page({
  boom() { throw new Error('kaput') },
  reject() { Promise.reject('nope') },
  offAll() { wx.offError(); wx.offThemeChange(); console.log('ev off') },
});`,
	}))
	a.launch(t, "pages/a/a")
	a.logs.waitConsole(t, "ev onAppShow pages/a/a")
	a.deliver(t, bridge.KindLifecycle, bridge.Lifecycle{Event: "hide"})
	a.logs.waitConsole(t, "ev onAppHide")
	a.deliver(t, bridge.KindLifecycle, bridge.Lifecycle{Event: "show"})
	a.event(t, "p1", "boom", "{}")
	a.logs.waitConsole(t, "ev onError Error: kaput")
	a.event(t, "p1", "reject", "{}")
	a.logs.waitConsole(t, "ev onUnhandledRejection nope")
	a.deliver(t, bridge.KindLifecycle, bridge.Lifecycle{Event: "pageNotFound",
		Data: json.RawMessage(`{"path":"pages/gone/gone","query":{"x":"1"},"isEntryPage":true}`)})
	a.logs.waitConsole(t, "ev onPageNotFound 1")
	a.deliver(t, bridge.KindLifecycle, bridge.Lifecycle{Event: "themeChange", Data: json.RawMessage(`{"theme":"dark"}`)})
	a.logs.waitConsole(t, "ev onThemeChange dark")
	a.event(t, "p1", "offAll", "{}")
	a.logs.waitConsole(t, "ev off")
	a.event(t, "p1", "boom", "{}")
	a.deliver(t, bridge.KindLifecycle, bridge.Lifecycle{Event: "themeChange", Data: json.RawMessage(`{"theme":"light"}`)})
	a.logs.waitConsole(t, "ev App.onThemeChange light")

	var got []string
	for _, l := range a.logs.console() {
		if len(l) > 3 && l[:3] == "ev " {
			got = append(got, l[3:])
		}
	}
	want := []string{
		"App.onShow", "onAppShow pages/a/a",
		"App.onHide", "onAppHide",
		"App.onShow", "onAppShow pages/a/a",
		"App.onError Error: kaput", "onError Error: kaput",
		"onUnhandledRejection nope",
		"App.onPageNotFound pages/gone/gone true", "onPageNotFound 1",
		"App.onThemeChange dark", "onThemeChange dark",
		"off",
		"App.onError Error: kaput",
		"App.onThemeChange light",
	}
	if len(got) != len(want) {
		t.Fatalf("events\n got %q\nwant %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("event %d: got %q, want %q (all: %q)", i, got[i], want[i], got)
		}
	}
}

// wx.getUpdateManager checks once through sf.update.check; a newer release makes it
// ready, applyUpdate asks sf.update.apply, and its failure reaches onUpdateFailed. A
// listener added after the answer still hears it.
func TestUpdateManager(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `
const um = wx.getUpdateManager();
um.onCheckForUpdate(r => console.log('um check ' + r.hasUpdate));
um.onUpdateReady(() => { console.log('um ready ' + (wx.getUpdateManager() === um)); um.applyUpdate() });
um.onUpdateFailed(e => console.log('um failed ' + e.errMsg));
Page({ late() { um.onCheckForUpdate(r => console.log('um late ' + r.hasUpdate)) } });`,
	}))
	a.launch(t, "pages/a/a")
	answer := func(name, result string, ok bool) {
		t.Helper()
		c := a.host.nextAPI(t)
		if c.Name != name {
			t.Fatalf("call %s, want %s", c.Name, name)
		}
		a.deliver(t, bridge.KindAPIResult, bridge.APIResult{ID: c.ID, OK: ok, Result: json.RawMessage(result)})
	}
	answer("checkUpdate", `{"errMsg":"checkUpdate:ok","hasUpdate":true,"version":"1.1.0"}`, true)
	a.logs.waitConsole(t, "um check true")
	a.logs.waitConsole(t, "um ready true")
	answer("applyUpdate", `{"errMsg":"applyUpdate:fail update dev.x: network down"}`, false)
	a.logs.waitConsole(t, "um failed applyUpdate:fail update dev.x: network down")
	a.event(t, "p1", "late", "{}")
	a.logs.waitConsole(t, "um late true")
}

// The log managers write into the shell's log with the app's tag, bounded: a line is
// cut at MaxLogLine, and a flood beyond the burst is dropped and counted.
func TestLogManagersAreBounded(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({
  onLoad() {
    wx.getLogManager().info('big', 'x'.repeat(20000));
    const rt = wx.getRealtimeLogManager();
    for (let i = 0; i < 2000; i++) rt.info('flood ' + i);
  },
  // The flood emptied the bucket: this line passes once it refills (a line each
  // 10 ms), and says how many went before it.
  after() { setInterval(() => console.log('after the flood'), 20) },
});`,
	}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "after", "{}")
	a.logs.waitConsole(t, "after the flood")
	var big string
	floods, dropped := 0, ""
	for _, l := range a.logs.console() {
		switch {
		case strings.HasPrefix(l, "[log] big "):
			big = l
		case strings.HasPrefix(l, "[realtime] flood "):
			floods++
		}
	}
	for _, r := range a.logs.snapshot() {
		if strings.Contains(r.msg, "log lines dropped") {
			dropped = r.msg
		}
	}
	if len(big) > MaxLogLine+64 || !strings.Contains(big, "bytes cut") {
		t.Errorf("a 20 kB line logged as %d bytes", len(big))
	}
	if floods < LogBurst-10 || floods > LogBurst+100 || dropped == "" {
		t.Errorf("2000 lines at once: %d logged, drop note %q", floods, dropped)
	}
}

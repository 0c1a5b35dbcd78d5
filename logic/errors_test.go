package logic

import (
	"log/slog"
	"strings"
	"testing"
)

// errorApp records App.onError and onUnhandledRejection in the console.
var errorApp = map[string]string{
	"app.js": `App({
  onError(msg) { console.log('onError: ' + msg); },
  onUnhandledRejection(r) { console.log('onUnhandledRejection: ' + (r.reason && r.reason.message) + ' promise=' + (r.promise instanceof Promise)); },
});`,
	"pages/a/a.js": `Page({
  onLoad() {
    throw new Error('in onLoad');
  },
  onShow() { console.log('onShow still runs'); },
  boom() {
    null.x;
  },
  later() {
    setTimeout(function () {
      throw new RangeError('in a timer');
    }, 0);
  },
  reject() {
    Promise.reject(new Error('nobody catches'));
  },
  rejectCaughtLater() {
    const p = Promise.reject(new Error('caught'));
    Promise.resolve().then(() => p.catch(() => console.log('handled later')));
  },
  asyncThrow() {
    (async () => { throw new Error('async boom'); })();
  },
  ok() { console.log('still alive'); },
});`,
}

func TestUncaughtErrorsReachOnError(t *testing.T) {
	a := startApp(t, mapApp(errorApp))
	a.launch(t, "pages/a/a")
	tests := []struct {
		handler string
		want    []string // substrings of one console line
	}{
		{"", []string{"onError: Error: in onLoad", "at onLoad (pages/a/a.js:3:11"}},
		{"boom", []string{"onError: TypeError: Cannot read property 'x'", "at boom (pages/a/a.js:7:"}},
		{"later", []string{"onError: RangeError: in a timer", "pages/a/a.js:11:13"}},
		{"reject", []string{"onUnhandledRejection: nobody catches promise=true"}},
		{"asyncThrow", []string{"onUnhandledRejection: async boom promise=true"}},
	}
	for _, tt := range tests {
		t.Run(tt.handler, func(t *testing.T) {
			if tt.handler != "" {
				a.event(t, "p1", tt.handler, `{}`)
			}
			line := a.logs.waitConsole(t, tt.want[0])
			for _, w := range tt.want[1:] {
				if !strings.Contains(line, w) {
					t.Errorf("%q does not contain %q", line, w)
				}
			}
		})
	}
	a.logs.waitConsole(t, "onShow still runs")
	a.event(t, "p1", "rejectCaughtLater", `{}`)
	a.logs.waitConsole(t, "handled later")
	a.event(t, "p1", "ok", `{}`)
	a.logs.waitConsole(t, "still alive")
	for _, m := range a.logs.console() {
		if strings.Contains(m, "caught promise") {
			t.Errorf("a rejection handled in the same turn was reported: %q", m)
		}
	}
	// Errors are also logged at error level with the app id.
	found := false
	for _, r := range a.logs.snapshot() {
		if r.level == slog.LevelError && strings.Contains(r.msg, "in onLoad") && r.attrs["app"] == "test" {
			found = true
		}
	}
	if !found {
		t.Error("uncaught error not logged at error level with app=test")
	}
}

func TestConsoleLevels(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"app.js":       `console.log('l', 1, {a: 1}); console.info('i'); console.warn('w'); console.error('e', new Error('x')); console.debug('d'); App({});`,
		"pages/a/a.js": "Page({})",
	}))
	want := []struct {
		level slog.Level
		msg   string
	}{{slog.LevelInfo, `l 1 {"a":1}`}, {slog.LevelInfo, "i"}, {slog.LevelWarn, "w"}, {slog.LevelError, "e Error: x"}, {slog.LevelDebug, "d"}}
	var got []logRecord
	for _, r := range a.logs.snapshot() {
		if r.attrs["source"] == "console" {
			got = append(got, r)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("console records = %+v", got)
	}
	for i, w := range want {
		if got[i].level != w.level || !strings.HasPrefix(got[i].msg, w.msg) || got[i].attrs["app"] != "test" {
			t.Errorf("record %d = %+v, want %v %q app=test", i, got[i], w.level, w.msg)
		}
	}
}

func TestErrorStackHidesFramework(t *testing.T) {
	a := startApp(t, mapApp(errorApp))
	a.launch(t, "pages/a/a")
	line := a.logs.waitConsole(t, "onError: Error: in onLoad")
	if strings.Contains(line, "sandframe:") || strings.Contains(line, "apply (native)") {
		t.Errorf("framework frames leak into onError: %q", line)
	}
}

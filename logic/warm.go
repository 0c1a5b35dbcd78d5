package logic

import (
	"log/slog"
	"testing/fstest"

	"github.com/sandframe/sandframe/bridge"
)

// warmApp is the stub app Warm runs: the shell's own, two lines.
var warmApp = fstest.MapFS{
	"app.js":         {Data: []byte("App({})")},
	"pages/w/w.js":   {Data: []byte("Page({data: {a: 1}, onLoad() { this.setData({b: [1, 2]}) }})")},
	"pages/w/w.json": {Data: []byte("{}")},
}

// Warm prepares this process for its first New: it compiles what every runtime runs
// before an app's code (the hardening, framework and extension scripts), and runs one
// runtime over a stub app of its own (App({}) and one page), which it then stops, so
// that the first real app does not pay for the code paths' first use (page faults,
// heap growth). It reads nothing of any app and nothing from disk. A pre-started logic
// child (isolate's spare, docs/isolate.md) calls it before it knows its app, and the
// launcher calls it for in-process apps. Safe to call more than once, from any
// goroutine. The stub's two modules stay in the program cache (ClearProgramCache).
func Warm() error {
	if _, _, err := compiledSetup(); err != nil {
		return err
	}
	if _, err := compiledExtensions(); err != nil {
		return err
	}
	rt, err := New(Options{FS: warmApp, Pages: []string{"pages/w/w"}, Send: func(bridge.Envelope) {},
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	rt.Stop()
	return nil
}

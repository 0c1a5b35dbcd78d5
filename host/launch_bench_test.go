package host

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
)

// benchLaunch loads and compiles the todo example and starts its logic (every module
// compiled and run, App onLaunch), without a window.
func benchLaunch(b *testing.B, cold bool) {
	fsys := os.DirFS("../examples/todo")
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	noSync := func(c bridge.APICall) bridge.APIResult {
		raw, _ := json.Marshal(map[string]string{"errMsg": c.Name + ":fail no host"})
		return bridge.APIResult{ID: c.ID, Result: raw}
	}
	for i := 0; i < b.N; i++ {
		if cold {
			ClearCompileCache()
			logic.ClearProgramCache()
		}
		app, err := Load(fsys)
		if err != nil {
			b.Fatal(err)
		}
		rt, err := logic.New(logic.Options{
			AppID: "bench", FS: app.Project.FS, Pages: app.Project.Routes(), Components: app.Project.ComponentPaths(),
			Send: func(bridge.Envelope) {}, CallSync: noSync, Logger: quiet,
		})
		if err != nil {
			b.Fatal(err)
		}
		rt.Stop()
	}
}

// BenchmarkLaunchTodoColdCache and BenchmarkLaunchTodoWarmCache measure the code cache:
// templates, styles and JavaScript compiled once per content digest and shared.
func BenchmarkLaunchTodoColdCache(b *testing.B) { benchLaunch(b, true) }
func BenchmarkLaunchTodoWarmCache(b *testing.B) { benchLaunch(b, false) }

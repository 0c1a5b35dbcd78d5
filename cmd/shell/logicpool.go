package main

import (
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/sandframe/sandframe/configs"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/isolate"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/render"
)

// startLogicPool is the logic half of launcher.prewarm (docs/performance.md): with it
// at 1, the launcher keeps one spare logic child (isolate.Pool; docs/isolate.md, "Spare
// children") for the next process-isolated app it launches, made after the same delays
// as the pre-warmed window, and compiles the framework once for apps whose logic runs
// in process. nil (no pool) when prewarm is 0 or no app can run in a child. The kiosk
// keeps none; `shell run` starts one child ahead of its one app (startRunChild).
func startLogicPool(cfg configs.Config, log *slog.Logger) *isolate.Pool {
	if cfg.Launcher.Prewarm == 0 {
		return nil
	}
	// In-process apps share the compiled framework; compile it before the first launch.
	time.AfterFunc(render.PrewarmDelay, func() {
		if err := logic.Warm(); err != nil {
			log.Warn("compiling the logic framework ahead", "err", err)
		}
	})
	if !anyProcessIsolation(cfg) {
		return nil
	}
	p, err := isolate.NewPool(isolate.PoolOptions{
		Exe: childExe(), Args: []string{isolate.ChildArg}, Logger: log, Size: cfg.Launcher.Prewarm,
		MemoryLimit: cfg.Isolation.MemoryLimit, CPULimit: cfg.Isolation.CPULimit, Logic: host.LogicSetup(cfg),
		// The window is made first (it holds the UI thread); the child starts after it.
		FirstDelay: 2 * render.PrewarmDelay, RefillDelay: render.RefillDelay,
	})
	if err != nil {
		log.Warn("no spare logic child", "err", err)
		return nil
	}
	return p
}

// anyProcessIsolation reports whether any app can run its logic in a child.
func anyProcessIsolation(cfg configs.Config) bool {
	i := cfg.Isolation
	return i.Mode == "process" || i.Unverified == "process" ||
		slices.ContainsFunc(i.Apps, func(a configs.AppMode) bool { return a.Mode == "process" })
}

// startRunChild is `shell run`'s head start: when the app will most likely run its logic
// in a child (a project folder runs unverified; an installed app by its id as configured;
// a bundle file as any app may), that child starts at once, as a spare (the shell's
// binary exec'd, linked and warmed, nothing of any app), while the app is checked and
// its window made; the session takes it. nil when the app will most likely run in
// process. Close it once the session has started: a spare nobody took is stopped.
func startRunChild(cfg configs.Config, arg string, log *slog.Logger) *isolate.Pool {
	mode := cfg.IsolationOf(arg, true)
	if st, err := os.Stat(arg); err == nil {
		if st.IsDir() {
			mode = cfg.Isolation.Unverified
		} else if anyProcessIsolation(cfg) {
			mode = "process"
		}
	}
	if mode != "process" {
		return nil
	}
	p, err := isolate.NewPool(isolate.PoolOptions{Exe: childExe(), Args: []string{isolate.ChildArg}, Logger: log,
		MemoryLimit: cfg.Isolation.MemoryLimit, CPULimit: cfg.Isolation.CPULimit, Logic: host.LogicSetup(cfg),
		Size: 1, RefillDelay: time.Hour}) // one only: closed before any refill
	if err != nil {
		log.Warn("no logic child started ahead", "err", err)
		return nil
	}
	return p
}

package main

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/logic"
)

const benchTodo = "dev.sandframe.todo"

// BenchmarkLoadInstalledTodo: what loading the bundled todo costs on every launch of an
// installed app before any window or logic (docs/performance.md): re-verifying every
// file against the signed manifest, loading and compiling (the memory cache emptied
// each time, the disk cache warm), and the launch lint (its cache emptied each time);
// "again" is a launcher's next launch of the same app, with the memory caches warm.
func BenchmarkLoadInstalledTodo(b *testing.B) {
	root := b.TempDir()
	for k, v := range map[string]string{"XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache", "HOME": "home"} {
		b.Setenv(k, filepath.Join(root, v))
	}
	cfg, err := loadConfig(&globals{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := installBundled(cfg, io.Discard); err != nil {
		b.Fatal(err)
	}
	if _, err := openCodeCache(cfg); err != nil {
		b.Fatal(err)
	}
	defer host.SetDiskCache(nil, "")
	reg, err := openRegistry(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer reg.Close()
	inst, _, err := reg.Verify(benchTodo)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := reg.Verify(benchTodo); err != nil {
				b.Fatal(err)
			}
		}
	})
	var app *host.App
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			host.ClearCompileCache()
			logic.ClearProgramCache()
			if app, err = host.LoadDir(inst.Path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("lint", func(b *testing.B) {
		for b.Loop() {
			lintedForLaunch.Clear()
			if err := lintForLaunch(cfg, benchTodo, app); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			host.ClearCompileCache()
			logic.ClearProgramCache()
			lintedForLaunch.Clear()
			if _, _, err := loadInstalled(cfg, benchTodo); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("again", func(b *testing.B) {
		for b.Loop() {
			_, done, err := loadInstalled(cfg, benchTodo)
			if err != nil {
				b.Fatal(err)
			}
			done()
		}
	})
}

package launcher

import (
	"fmt"
	"testing"

	"github.com/sandframe/sandframe/appstore/installer"
)

// BenchmarkAppsList20: the launcher's home grid with 20 installed apps (registry read,
// publisher names, icons, states), what the page asks on every change.
func BenchmarkAppsList20(b *testing.B) {
	f := newFixture(b, nil)
	for i := range 20 {
		f.install(b, app{id: fmt.Sprintf("dev.bench.app%02d", i), version: "1.0.0", key: key(1)}, installer.Options{})
	}
	f.install(b, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{}) // one with an icon
	b.ResetTimer()
	for b.Loop() {
		if apps := f.must(b, "apps.list", "{}").(AppsList).Apps; len(apps) != 21 {
			b.Fatalf("%d apps", len(apps))
		}
	}
}

// BenchmarkAppDetails: an app's page (declared and decided capabilities, storage use,
// domains, the last audit lines).
func BenchmarkAppDetails(b *testing.B) {
	f := newFixture(b, nil)
	f.install(b, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	b.ResetTimer()
	for b.Loop() {
		f.must(b, "app.details", `{"id":"`+notes+`"}`)
	}
}

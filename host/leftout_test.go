package host

import (
	"testing"

	"github.com/sandframe/sandframe/monitor"
)

// A page whose logic fails to load does not refuse the app, in either isolation mode:
// navigating to it fails as to a page that is not there (WeChat's errMsg), and the
// other pages still open.
func TestBrokenPageIsNotFound(t *testing.T) {
	for _, isolation := range []string{"goroutine", "process"} {
		t.Run(isolation, func(t *testing.T) {
			s, page, _ := runIsolated(t, newWorld(t, monitor.Budgets{}), "testdata/leftout", isolation)
			waitData(t, s, func(d map[string]any) bool { _, ok := d["nav"]; return ok })
			page.tap("lost")
			waitData(t, s, func(d map[string]any) bool {
				return d["nav"] == `navigateTo:fail page "pages/lost/lost" is not found`
			})
			page.tap("ok")
			waitData(t, s, func(d map[string]any) bool { return d["here"] == "ok" })
		})
	}
}

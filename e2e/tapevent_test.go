package e2e

import "testing"

// TestTapEventReachesTheHandler: a real tap in the page reaches the handler with its
// type, ids, dataset (numbers stay numbers) and merged marks (a child's mark wins),
// with the app's logic in a child process and in the shell's own process: the gate
// hands the page's proved event bytes along instead of re-encoding them
// (docs/performance.md, "Decode").
func TestTapEventReachesTheHandler(t *testing.T) {
	for _, mode := range []struct{ name, env string }{
		{"child", ""},
		{"goroutine", "SANDFRAME_ISOLATION_UNVERIFIED=goroutine"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			var extra []string
			if mode.env != "" {
				extra = append(extra, mode.env)
			}
			r := launchEnv(t, "e2e/testdata/tapevent", extra)
			ctx := ctxT(t)
			c := r.client
			if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
				t.Fatal(err)
			}
			if err := c.WaitText(ctx, "#item", "tap me"); err != nil { // rendered
				t.Fatal(err)
			}
			if err := c.Tap(ctx, "#item"); err != nil {
				t.Fatal(err)
			}
			if err := c.WaitText(ctx, "#out", "1 tap number item item id=7 itemName=seven group=undefined area=list row=3 object"); err != nil {
				t.Error(err)
			}
			if err := c.Tap(ctx, "#bare"); err != nil {
				t.Fatal(err)
			}
			if err := c.WaitText(ctx, "#out", "2 tap number bare bare id=undefined itemName=undefined group=undefined area=undefined row=undefined object"); err != nil {
				t.Error(err)
			}
		})
	}
}

package e2e

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// TestHideShowCycles: an app's window closed (the app kept running hidden) and shown
// again by the launcher, over and over while the app works, leaves the shell running.
// The soak found the shell dying in native code after a few dozen such cycles.
// SANDFRAME_HIDESHOW sets the number of cycles (default 12).
func TestHideShowCycles(t *testing.T) {
	n := 12
	if v, err := strconv.Atoi(os.Getenv("SANDFRAME_HIDESHOW")); err == nil && v > 0 {
		n = v
	}
	r := launchCmd(t, []string{"--log-level", "warn"}, []string{"SANDFRAME_LAUNCHER_KEEPHIDDEN=1h"})
	c := r.client
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(n)*20*time.Second+time.Minute)
	defer cancel()
	ids := []string{"dev.sandframe.todo", "dev.sandframe.widgets"}
	for i := 0; i < n; i++ {
		id := ids[i%len(ids)]
		if _, err := launcherOp(ctx, c, "app.launch", map[string]string{"id": id}); err != nil {
			t.Fatalf("cycle %d: show %s: %v", i, id, err)
		}
		app, err := automation.DialWait(ctx, r.sock+"."+id)
		if err != nil {
			t.Fatalf("cycle %d: %s's automation: %v", i, id, err)
		}
		if err := automation.WaitFor(ctx, func() (bool, error) {
			p, err := app.CurrentPage(ctx)
			return p.Route != "", err
		}); err != nil {
			t.Fatalf("cycle %d: %s shows no page: %v", i, id, err)
		}
		if err := app.Call(ctx, "test.closeWindow", nil, nil); err != nil {
			t.Fatalf("cycle %d: hide %s: %v", i, id, err)
		}
		app.Close()
	}
	// The shell still answers, and lists both apps.
	raw, err := launcherOp(ctx, c, "apps.list", map[string]any{})
	if err != nil {
		t.Fatalf("after %d cycles: %v", n, err)
	}
	for _, id := range ids {
		if !strings.Contains(string(raw), id) {
			t.Errorf("apps.list after the cycles lacks %s: %s", id, raw)
		}
	}
	fmt.Printf("hideshow: %d cycles\n", n)
}

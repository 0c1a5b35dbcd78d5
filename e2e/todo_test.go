package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/automation"
)

type todoData struct {
	Draft   string `json:"draft"`
	Filter  string `json:"filter"`
	Visible []struct {
		ID    int    `json:"id"`
		Title string `json:"title"`
		Done  bool   `json:"done"`
	} `json:"visible"`
	ActiveCount int `json:"activeCount"`
}

func (r *running) todo(t *testing.T, ctx context.Context) todoData {
	t.Helper()
	var d todoData
	if err := r.client.PageData(ctx, "", &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// waitItems waits until the list shows exactly these titles.
func (r *running) waitItems(t *testing.T, ctx context.Context, titles ...string) {
	t.Helper()
	want := strings.Join(titles, "|")
	var got string
	err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := r.client.Query(ctx, "todo-item .title")
		if err != nil {
			return false, err
		}
		var ts []string
		for _, e := range els {
			ts = append(ts, e.Text)
		}
		got = strings.Join(ts, "|")
		return got == want, nil
	})
	if err != nil {
		t.Fatalf("list shows %q, want %q: %v", got, want, err)
	}
}

func (r *running) add(t *testing.T, ctx context.Context, title string) {
	t.Helper()
	c := r.client
	if err := c.Input(ctx, "#new-todo", title); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) { return r.todo(t, ctx).Draft == title, nil }); err != nil {
		t.Fatalf("typing %q did not reach logic: %v", title, err)
	}
	if err := c.Tap(ctx, "#add"); err != nil {
		t.Fatal(err)
	}
}

// The default: the app's logic in a child process (isolation: process).
func TestTodoEndToEnd(t *testing.T) {
	r := launch(t, "examples/todo")
	todoScenario(t, r, "todo")
	// The logic really runs in a child of the shell.
	out, err := exec.Command("pgrep", "-P", strconv.Itoa(r.cmd.Process.Pid), "-f", "__logic-child").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Fatalf("no __logic-child process under the shell: %v", err)
	}
}

// The same, with the app's logic in the shell's own process (isolation: goroutine).
func TestTodoInGoroutineIsolation(t *testing.T) {
	r := launchEnv(t, "examples/todo", []string{"SANDFRAME_ISOLATION_UNVERIFIED=goroutine"})
	todoScenario(t, r, "todo-goroutine")
	if out, _ := exec.Command("pgrep", "-P", strconv.Itoa(r.cmd.Process.Pid), "-f", "__logic-child").Output(); strings.TrimSpace(string(out)) != "" {
		t.Fatalf("a __logic-child runs under the shell with isolation goroutine: %s", out)
	}
}

func todoScenario(t *testing.T, r *running, shots string) {
	ctx := ctxT(t)
	c := r.client

	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}

	// Type and add two todos through the input and the button.
	r.add(t, ctx, "Buy milk")
	r.waitItems(t, ctx, "Buy milk")
	if err := c.WaitText(ctx, "#count", "1 item left"); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Query(ctx, "#new-todo"); len(v) != 1 || v[0].Value != "" {
		t.Fatalf("input after add = %+v, want cleared", v)
	}
	r.add(t, ctx, "Walk the dog")
	r.waitItems(t, ctx, "Buy milk", "Walk the dog")

	// Toggle the first: the component's event reaches the page's handler.
	if err := c.Tap(ctx, "todo-item .check"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#count", "1 item left"); err != nil {
		t.Fatal(err)
	}
	d := r.todo(t, ctx)
	if len(d.Visible) != 2 || !d.Visible[0].Done || d.Visible[1].Done || d.ActiveCount != 1 {
		t.Fatalf("logic data after toggle = %+v", d)
	}
	if done, _ := c.Query(ctx, "todo-item .item.done .title"); len(done) != 1 || done[0].Text != "Buy milk" {
		t.Fatalf("done rows = %+v", done)
	}

	// Filters.
	for _, f := range []struct {
		tap    string
		titles []string
	}{
		{"#filter-done", []string{"Buy milk"}},
		{"#filter-active", []string{"Walk the dog"}},
		{"#filter-all", []string{"Buy milk", "Walk the dog"}},
	} {
		if err := c.Tap(ctx, f.tap); err != nil {
			t.Fatal(err)
		}
		r.waitItems(t, ctx, f.titles...)
		sel, _ := c.Query(ctx, ".filter.selected")
		if len(sel) != 1 || "#"+sel[0].ID != f.tap {
			t.Fatalf("selected filter = %+v, want %s", sel, f.tap)
		}
	}

	// Delete: add a third (with Enter this time: bindconfirm) and remove it.
	if err := c.Input(ctx, "#new-todo", "Temporary"); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) { return r.todo(t, ctx).Draft == "Temporary", nil }); err != nil {
		t.Fatal(err)
	}
	if err := c.Press(ctx, "#new-todo", "Enter"); err != nil {
		t.Fatal(err)
	}
	r.waitItems(t, ctx, "Buy milk", "Walk the dog", "Temporary")
	if err := c.Tap(ctx, "todo-item:last-of-type .remove"); err != nil {
		t.Fatal(err)
	}
	r.waitItems(t, ctx, "Buy milk", "Walk the dog")
	if err := c.Screenshot(ctx, artifact(t, shots+"-list.png")); err != nil {
		t.Fatal(err)
	}

	// The statistics page, with navigateTo and a query.
	if err := c.Tap(ctx, "#open-stats"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitRoute(ctx, "pages/stats/stats"); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{"#stat-total": "2", "#stat-done": "1", "#stat-active": "1", "#stat-percent": "50% complete"} {
		if err := c.WaitText(ctx, sel, want); err != nil {
			t.Fatal(err)
		}
	}
	var stats map[string]any
	if err := c.PageData(ctx, "", &stats); err != nil {
		t.Fatal(err)
	}
	if stats["from"] != "index" || stats["total"] != float64(2) {
		t.Fatalf("stats data = %v", stats)
	}
	stack, _ := c.Stack(ctx)
	if len(stack) != 2 || stack[1].Query["from"] != "index" {
		t.Fatalf("stack = %+v", stack)
	}
	if err := c.Screenshot(ctx, artifact(t, shots+"-stats.png")); err != nil {
		t.Fatal(err)
	}

	// Back to the list: it kept its state.
	if err := c.Tap(ctx, "#back"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	r.waitItems(t, ctx, "Buy milk", "Walk the dog")
	if n, _ := c.Violations(ctx); n != 0 {
		t.Fatalf("%d page messages were refused in normal use", n)
	}
}

func TestForgedPageMessagesAreRefused(t *testing.T) {
	r := launch(t, "examples/todo")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitText(ctx, "#count", "0 items left"); err != nil {
		t.Fatal(err)
	}
	// A script smuggled into the page posts what a page may never send: an api call,
	// and an event for a handler the template does not bind.
	forged := []map[string]any{
		{"v": 1, "kind": "api", "payload": map[string]any{"id": 1, "name": "navigateTo", "args": map[string]any{"url": "/pages/stats/stats"}}},
		{"v": 1, "kind": "event", "payload": map[string]any{"target": "page", "handler": "stealData",
			"event": map[string]any{"type": "tap", "timeStamp": 1, "target": map[string]any{"id": "", "dataset": map[string]any{}},
				"currentTarget": map[string]any{"id": "", "dataset": map[string]any{}}}}},
	}
	for _, msg := range forged {
		raw, _ := json.Marshal(msg)
		script := "window.__sf_post(" + strconvQuote(string(raw)) + ")"
		if err := c.Call(ctx, "test.inject", map[string]string{"script": script}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		n, err := c.Violations(ctx)
		return n == 2, err
	}); err != nil {
		t.Fatalf("violations: %v", err)
	}
	// Still on the list page: the forged navigateTo did nothing.
	if p, _ := c.CurrentPage(ctx); p.Route != "pages/index/index" {
		t.Fatalf("forged api moved the app to %s", p.Route)
	}
	// Both refusals are in the audit log with their reasons.
	audit, err := os.ReadFile(r.dataDir() + "/audit/audit.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var refused []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(audit)), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		if e["decision"] == "refused" {
			refused = append(refused, e)
		}
	}
	if len(refused) != 2 {
		t.Fatalf("audit has %d refusals, want 2:\n%s", len(refused), audit)
	}
	if !strings.Contains(refused[0]["reason"].(string), "api") || !strings.Contains(refused[1]["reason"].(string), "stealData") {
		t.Fatalf("audit reasons: %v / %v", refused[0]["reason"], refused[1]["reason"])
	}
	for _, e := range refused {
		if e["app"] != "dev.sandframe.todo@unverified" { // the identity of an unsigned folder
			t.Fatalf("audit line names app %v", e["app"])
		}
	}
	// The app keeps working.
	r.add(t, ctx, "Still works")
	r.waitItems(t, ctx, "Still works")
}

func strconvQuote(s string) string {
	raw, _ := json.Marshal(s)
	return string(raw)
}

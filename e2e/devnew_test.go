package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewTemplates writes a project from each `shell new` template, checks that `shell
// lint` finds nothing, and launches it in `shell dev`; the typescript one is also
// edited, to see a .ts change reload.
func TestNewTemplates(t *testing.T) {
	needDisplay(t)
	for _, tc := range []struct {
		template, route, selector, text string
	}{
		{"basic", "pages/index/index", "#hello", "Hello from Hello Basic"},
		{"tabs", "pages/home/home", "#title", "Home"},
		{"component", "pages/index/index", "#total", "Total 0"},
		{"typescript", "pages/index/index", "#hello", "Hello from Hello Typescript"},
	} {
		t.Run(tc.template, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "hello-"+tc.template)
			h := home(t)
			run := func(args ...string) string {
				t.Helper()
				cmd := exec.Command(shellBin, args...)
				cmd.Env = env(h)
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("shell %s: %v\n%s", strings.Join(args, " "), err, out)
				}
				return string(out)
			}
			run("new", dir, "--template", tc.template)
			if out := run("lint", dir); !strings.Contains(out, "no findings") {
				t.Fatalf("shell lint of a new %s project:\n%s", tc.template, out)
			}
			r := launchDev(t, dir)
			c := r.client
			ctx := ctxT(t)
			if err := c.WaitRoute(ctx, tc.route); err != nil {
				t.Fatal(err)
			}
			if err := c.WaitText(ctx, tc.selector, tc.text); err != nil {
				t.Fatal(err)
			}
			switch tc.template {
			case "basic", "typescript":
				if err := c.Tap(ctx, "#tap"); err != nil {
					t.Fatal(err)
				}
				if err := c.WaitText(ctx, "#count", "Tapped 1 time"); err != nil {
					t.Fatal(err)
				}
			case "component":
				if err := c.Tap(ctx, "#pears .more"); err != nil {
					t.Fatal(err)
				}
				if err := c.WaitText(ctx, "#total", "Total 2"); err != nil {
					t.Fatal(err)
				}
			case "tabs":
				if err := c.Tap(ctx, "#to-me"); err != nil {
					t.Fatal(err)
				}
				if err := c.WaitText(ctx, "#theme", "The theme is light"); err != nil {
					t.Fatal(err)
				}
				if err := c.Call(ctx, "dev.theme", map[string]string{"theme": "dark"}, nil); err != nil {
					t.Fatal(err)
				}
				if err := c.WaitText(ctx, "#theme", "The theme is dark"); err != nil {
					t.Fatalf("the tabs template's page did not hear onThemeChange: %v", err)
				}
			}
			if tc.template == "typescript" {
				gen := devStatus(ctx, t, c).Generation
				ts := filepath.Join(dir, "pages/index/index.ts")
				src := readFile(t, ts)
				writeFile(t, ts, strings.Replace(src, "this.data.count + 1", "this.data.count + 10", 1))
				waitGeneration(ctx, t, c, gen)
				if err := c.WaitText(ctx, "#count", "Tapped 0 times"); err != nil { // the restarted app's page
					t.Fatal(err)
				}
				if err := c.Tap(ctx, "#tap"); err != nil {
					t.Fatal(err)
				}
				if err := c.WaitText(ctx, "#count", "Tapped 10 times"); err != nil {
					t.Fatalf("the .ts edit did not reload: %v", err)
				}
			}
			if err := c.Screenshot(ctx, artifact(t, "dev-new-"+tc.template+".png")); err != nil {
				t.Fatal(err)
			}
			r.stop(t)
		})
	}
}

package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// devtoolsApp copies the DevTools demo app with url as its server, starts it with
// `shell run --devtools`, and connects to the DevTools window (SOCK.devtools).
func devtoolsApp(t *testing.T, url string, extra []string) (*running, *automation.Client) {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot, "e2e/testdata/devtools"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "server.js"), []byte("module.exports = { url: '"+url+"' };\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := launchEnv(t, dir, extra, "--devtools")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dt, err := automation.DialWait(ctx, r.sock+".devtools")
	if err != nil {
		t.Fatalf("connect to DevTools: %v\n%s", err, r.stderr.String())
	}
	t.Cleanup(func() { dt.Close() })
	return r, dt
}

// waitQuery waits until some element matching selector has text containing want.
func waitQuery(ctx context.Context, t *testing.T, c *automation.Client, selector, want string) automation.Element {
	t.Helper()
	var found automation.Element
	var seen []string
	err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, selector)
		if err != nil {
			return false, err
		}
		seen = seen[:0]
		for _, el := range els {
			seen = append(seen, el.Text)
			if strings.Contains(el.Text, want) {
				found = el
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatalf("no %s with %q (saw %q): %v", selector, want, seen, err)
	}
	return found
}

func shot(ctx context.Context, t *testing.T, c *automation.Client, name string) {
	t.Helper()
	if err := c.Screenshot(ctx, artifact(t, name)); err != nil {
		t.Fatal(err)
	}
}

func tab(ctx context.Context, t *testing.T, dt *automation.Client, panel string) {
	t.Helper()
	if err := dt.Tap(ctx, `.tab[data-panel="`+panel+`"]`); err != nil {
		t.Fatal(err)
	}
}

// TestDevToolsPanels: each DevTools panel shows what the app did. Console: the app's
// lines with level and the original file:line, an object argument expandable, and an
// expression evaluated in the app's runtime. AppData: an edit applied as setData shows
// in the app. WXML: the tree with the component's boundary; selecting a node shows its
// classes and highlights it in the app. Network: a request to a loopback https server
// with its status, and an undeclared domain shown refused. Storage: the app's key, one
// added from DevTools that the app then reads, and a delete. Bridge: a DevTools message
// forged by the app's page, refused with its reason. Permissions: that refusal in the
// audit. Performance: the timeline. Screenshots of every panel in artifacts/e2e.
func TestDevToolsPanels(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Test", "devtools")
		w.Write([]byte(`{"hello":"world","n":7}`))
	}))
	ca := loopbackTLS(t, srv)
	url := "https://" + srv.Listener.Addr().String()
	r, dt := devtoolsApp(t, url, []string{"SSL_CERT_FILE=" + ca, "SANDFRAME_NETWORK_DEVMODE=true",
		"SANDFRAME_PERMISSIONS_PROMPT=policy", "SANDFRAME_PERMISSIONS_PROMPTS=allow"})
	ctx, cancel := context.WithTimeout(context.Background(), 240*time.Second)
	defer cancel()
	app := r.client
	if err := app.WaitText(ctx, "#title", "hello"); err != nil {
		t.Fatal(err)
	}

	// Console.
	line := waitQuery(ctx, t, dt, ".console-line", "devtools page loaded")
	if !strings.Contains(line.Text, "pages/index/index.js:6") || line.Attrs["data-level"] != "log" {
		t.Errorf("console line %q (level %q): want the level and pages/index/index.js:6", line.Text, line.Attrs["data-level"])
	}
	waitQuery(ctx, t, dt, `.console-line[data-level="warn"]`, "a warning line")
	if els, err := dt.Query(ctx, ".console-line details"); err != nil || len(els) == 0 {
		t.Errorf("the object argument is not expandable: %v %v", els, err)
	}
	if err := app.Tap(ctx, "#bump"); err != nil {
		t.Fatal(err)
	}
	waitQuery(ctx, t, dt, `.console-line[data-level="error"]`, "bumped to 2")
	if err := dt.Input(ctx, "#console-input", "getCurrentPages()[0].data.count * 10"); err != nil {
		t.Fatal(err)
	}
	if err := dt.Press(ctx, "#console-input", "Enter"); err != nil {
		t.Fatal(err)
	}
	waitQuery(ctx, t, dt, "[data-eval-result]", "20")
	shot(ctx, t, dt, "devtools-console.png")

	// AppData.
	tab(ctx, t, dt, "appdata")
	waitQuery(ctx, t, dt, "#appdata-tree", "title")
	if err := dt.Input(ctx, "#appdata-path", "title"); err != nil {
		t.Fatal(err)
	}
	if err := dt.Input(ctx, "#appdata-value", `"edited in DevTools"`); err != nil {
		t.Fatal(err)
	}
	if err := dt.Tap(ctx, "#appdata-apply"); err != nil {
		t.Fatal(err)
	}
	if err := app.WaitText(ctx, "#title", "edited in DevTools"); err != nil {
		t.Fatal(err)
	}
	waitQuery(ctx, t, dt, "#appdata-tree", "edited in DevTools")
	// The component on the page, with its own data and the property the edit changed.
	waitQuery(ctx, t, dt, `.comp-data[data-component="components/badge/badge"]`, "component components/badge/badge")
	shot(ctx, t, dt, "devtools-appdata.png")

	// WXML.
	tab(ctx, t, dt, "wxml")
	waitQuery(ctx, t, dt, ".comp-badge", "component components/badge/badge")
	node := waitQuery(ctx, t, dt, ".wxml-node", `id="title"`)
	if err := dt.Tap(ctx, `.wxml-node[data-path="`+node.Attrs["data-path"]+`"]`); err != nil {
		t.Fatal(err)
	}
	if err := dt.WaitText(ctx, "#wxml-classes", "title big"); err != nil {
		t.Fatal(err)
	}
	waitQuery(ctx, t, dt, "#wxml-inspect", "font-size")
	// The app's page answers once it has drawn the box over the node.
	waitQuery(ctx, t, dt, "#wxml-status", "Highlighted in the app: ")
	shot(ctx, t, dt, "devtools-wxml.png")
	shot(ctx, t, app, "devtools-wxml-highlight.png")

	// Network.
	if err := app.Tap(ctx, "#fetch"); err != nil {
		t.Fatal(err)
	}
	if err := app.WaitText(ctx, "#status", "got 200"); err != nil {
		t.Fatal(err)
	}
	tab(ctx, t, dt, "network")
	ok := waitQuery(ctx, t, dt, ".net-row", url+"/hello")
	if !strings.HasPrefix(ok.Text, "200") {
		t.Errorf("request row %q: want status 200 first", ok.Text)
	}
	waitQuery(ctx, t, dt, ".net-row.refused", "evil.example.org")
	if err := dt.Tap(ctx, `.net-row[data-url="`+url+`/hello"]`); err != nil {
		t.Fatal(err)
	}
	waitQuery(ctx, t, dt, "#network-detail", "X-Test")
	shot(ctx, t, dt, "devtools-network.png")

	// Storage.
	tab(ctx, t, dt, "storage")
	waitQuery(ctx, t, dt, `.storage-row[data-key="greeting"]`, `{"text":"hi","n":2}`)
	if err := dt.Input(ctx, "#storage-key", "added"); err != nil {
		t.Fatal(err)
	}
	if err := dt.Input(ctx, "#storage-value", `{"from":"devtools"}`); err != nil {
		t.Fatal(err)
	}
	if err := dt.Tap(ctx, "#storage-save"); err != nil {
		t.Fatal(err)
	}
	waitQuery(ctx, t, dt, `.storage-row[data-key="added"]`, "devtools")
	shot(ctx, t, dt, "devtools-storage.png")
	if err := dt.Tap(ctx, `.storage-row[data-key="greeting"] .storage-delete`); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := dt.Query(ctx, `.storage-row[data-key="greeting"]`)
		return len(els) == 0, err
	}); err != nil {
		t.Errorf("the deleted key is still listed: %v", err)
	}
	// The app sees both edits.
	tab(ctx, t, dt, "console")
	if err := dt.Input(ctx, "#console-input", "JSON.stringify([wx.getStorageSync('added'), wx.getStorageSync('greeting')])"); err != nil {
		t.Fatal(err)
	}
	if err := dt.Press(ctx, "#console-input", "Enter"); err != nil {
		t.Fatal(err)
	}
	waitQuery(ctx, t, dt, "[data-eval-result]", `[{\"from\":\"devtools\"},\"\"]`)

	// Bridge: the app's page forges a DevTools request.
	forged := `{"v":1,"kind":"devtools","payload":{"id":1,"op":"console.eval","args":{"expr":"1"}}}`
	if err := app.Call(ctx, "test.inject", map[string]string{"script": "window.__sf_post(" + strconvQuote(forged) + ")"}, nil); err != nil {
		t.Fatal(err)
	}
	tab(ctx, t, dt, "bridge")
	waitQuery(ctx, t, dt, `.bridge-row.refused[data-kind="devtools"]`, "DevTools messages come only from the DevTools window")
	if v, err := app.Violations(ctx); err != nil || v != 1 {
		t.Errorf("violations %d, %v: want the forged message counted", v, err)
	}
	waitQuery(ctx, t, dt, `.bridge-row[data-kind="render"]`, "host→page")
	shot(ctx, t, dt, "devtools-bridge.png")

	// Permissions and audit.
	tab(ctx, t, dt, "perms")
	waitQuery(ctx, t, dt, `.audit-row[data-kind="devtools"]`, "DevTools messages come only")
	waitQuery(ctx, t, dt, `.perm-row[data-capability="network:request"]`, "network:request")
	shot(ctx, t, dt, "devtools-perms.png")

	// Performance.
	tab(ctx, t, dt, "perf")
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := dt.Query(ctx, `.chart[data-chart="pushes"] path.line`)
		return len(els) == 1, err
	}); err != nil {
		t.Errorf("no timeline: %v", err)
	}
	shot(ctx, t, dt, "devtools-perf.png")
	r.stop(t)
}

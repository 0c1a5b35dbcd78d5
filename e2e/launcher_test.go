package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/automation"
)

const todoID = "dev.sandframe.todo"

// waitContains waits until the first element matching selector has text containing
// want (or, with want "", until one exists).
func waitContains(t *testing.T, ctx context.Context, c *automation.Client, selector, want string) string {
	t.Helper()
	var got string
	err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, selector)
		if err != nil || len(els) == 0 {
			return false, err
		}
		got = els[0].Text
		return strings.Contains(got, want), nil
	})
	if err != nil {
		t.Fatalf("%s: text %q, want it to contain %q: %v", selector, got, want, err)
	}
	return got
}

// waitGone waits until nothing matches selector.
func waitGone(t *testing.T, ctx context.Context, c *automation.Client, selector string) {
	t.Helper()
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, selector)
		return err == nil && len(els) == 0, err
	}); err != nil {
		t.Fatalf("%s is still there: %v", selector, err)
	}
}

type todoCopy struct {
	CopyResult string `json:"copyResult"`
	Visible    []struct {
		Title string `json:"title"`
	} `json:"visible"`
}

func copyResult(t *testing.T, ctx context.Context, app *automation.Client) todoCopy {
	t.Helper()
	var d todoCopy
	if err := app.PageData(ctx, "", &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// The launcher: the bundled app is listed; launching it opens its window; a capability
// revoked in the launcher is refused to the running app at once; a mini-app that sends
// the launcher's privileged messages is refused and audited; closing the app's window
// hides it and reopening shows the same state; uninstalling removes it with its data.
func TestLauncher(t *testing.T) {
	r := launchCmd(t, []string{"--log-level", "debug"}, []string{
		// Nobody at the keyboard answers prompts here: policy allows, so the revoke
		// is what changes the answer.
		"SANDFRAME_PERMISSIONS_PROMPT=policy", "SANDFRAME_PERMISSIONS_PROMPTS=allow",
	})
	ctx, cancel := context.WithTimeout(context.Background(), 90e9)
	defer cancel()
	c := r.client
	tile := `.tile[data-id="` + todoID + `"]`

	// Listed with name, version and publisher.
	text := waitContains(t, ctx, c, tile, "Todo")
	for _, want := range []string{"1.0.0", "Sandframe"} {
		if !strings.Contains(text, want) {
			t.Errorf("tile %q lacks %q", text, want)
		}
	}
	if strings.Contains(strings.ToLower(text), "unverified") {
		t.Errorf("the shipped app shows as unverified: %q", text)
	}
	if err := c.Screenshot(ctx, artifact(t, "launcher.png")); err != nil {
		t.Fatal(err)
	}

	// Launch by click: the app's window opens and serves automation of its own.
	if err := c.Tap(ctx, tile); err != nil {
		t.Fatal(err)
	}
	app, err := automation.DialWait(ctx, r.sock+"."+todoID)
	if err != nil {
		t.Fatalf("the app's automation: %v\n%s", err, r.stderr.String())
	}
	// Its logic runs in shell-logic, the child binary without GTK and WebKit.
	if kids := childExes(t, r.cmd.Process.Pid); !slices.Contains(kids, "shell-logic") {
		t.Errorf("no logic child runs shell-logic: the processes under the shell run %v", kids)
	}
	defer app.Close()
	if err := app.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	// The route is logic's; the page's first render may still be on its way.
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := app.Query(ctx, "#new-todo")
		return len(els) == 1, err
	}); err != nil {
		t.Fatalf("#new-todo never rendered: %v", err)
	}
	if err := app.Input(ctx, "#new-todo", "buy milk"); err != nil {
		t.Fatal(err)
	}
	if err := app.Press(ctx, "#new-todo", "Enter"); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) { return len(copyResult(t, ctx, app).Visible) == 1, nil }); err != nil {
		t.Fatalf("adding a todo: %v", err)
	}
	waitContains(t, ctx, c, `#running`, "Todo")
	// Both windows carry the WM_CLASS the desktop entry names (StartupWMClass), so a
	// dock groups them under Sandframe.
	if out, err := exec.Command("xdotool", "search", "--onlyvisible", "--class", "^sandframe$").Output(); err != nil || len(strings.Fields(string(out))) < 2 {
		t.Errorf("windows of class sandframe: %q (%v)", out, err)
	}

	// Allowed by policy at first.
	if err := app.Tap(ctx, "#copy"); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) { return copyResult(t, ctx, app).CopyResult == "setClipboardData:ok", nil }); err != nil {
		t.Fatalf("copy before the revoke: %q: %v", copyResult(t, ctx, app).CopyResult, err)
	}

	// Revoke it from the app's page in the launcher.
	if err := c.Tap(ctx, tile+` [data-action="details"]`); err != nil {
		t.Fatal(err)
	}
	capRow := `#details .cap[data-cap="clipboard:write"]`
	waitContains(t, ctx, c, capRow, "Allowed")
	if err := c.Tap(ctx, capRow+` [data-action="revoke"]`); err != nil {
		t.Fatal(err)
	}
	waitContains(t, ctx, c, capRow, "Denied")
	if err := c.Screenshot(ctx, artifact(t, "launcher-details.png")); err != nil {
		t.Fatal(err)
	}
	// The running app is refused from now on.
	if err := app.Tap(ctx, "#copy"); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		return strings.HasPrefix(copyResult(t, ctx, app).CopyResult, "setClipboardData:fail"), nil
	}); err != nil {
		t.Fatalf("copy after the revoke: %q: %v", copyResult(t, ctx, app).CopyResult, err)
	}

	// A mini-app page that sends a launcher message is refused and audited; nothing
	// happens to the app it names.
	forged := `{"v":1,"kind":"launcher","payload":{"id":1,"op":"app.uninstall","args":{"id":"` + todoID + `"}}}`
	if err := app.Call(ctx, "test.inject", map[string]string{"script": "window.__sf_post(" + strconvQuote(forged) + ")"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		n, err := app.Violations(ctx)
		return n == 1, err
	}); err != nil {
		t.Fatalf("violations after the forged launcher message: %v", err)
	}
	if line := auditLine(t, r, func(e map[string]any) bool {
		app, _ := e["app"].(string) // the identity: the shipped app is signed
		return strings.HasPrefix(app, todoID+"@") && e["kind"] == "launcher" && e["decision"] == "refused"
	}); !strings.Contains(line, "only from the launcher window") {
		t.Fatalf("audit line for the forged launcher message: %s", line)
	}
	waitContains(t, ctx, c, tile, "Todo")

	// Closing the app's window hides it; reopening shows the same state.
	if err := c.Tap(ctx, "#details-back"); err != nil {
		t.Fatal(err)
	}
	if err := app.Call(ctx, "test.closeWindow", nil, nil); err != nil {
		t.Fatal(err)
	}
	waitContains(t, ctx, c, `#running`, "hidden")
	if err := c.Tap(ctx, `#running [data-action="switch"]`); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, `#running`)
		return err == nil && len(els) == 1 && !strings.Contains(els[0].Text, "hidden"), err
	}); err != nil {
		t.Fatalf("the app did not come back: %v", err)
	}
	if d := copyResult(t, ctx, app); len(d.Visible) != 1 || d.Visible[0].Title != "buy milk" {
		t.Fatalf("after reopening, the page shows %+v", d.Visible)
	}

	// Uninstall: confirm, and the app is gone with its data.
	if err := c.Tap(ctx, tile+` [data-action="details"]`); err != nil {
		t.Fatal(err)
	}
	waitContains(t, ctx, c, `#details [data-action="uninstall"]`, "Uninstall")
	if err := c.Tap(ctx, `#details [data-action="uninstall"]`); err != nil {
		t.Fatal(err)
	}
	waitContains(t, ctx, c, "#confirm-ok", "")
	if err := c.Tap(ctx, "#confirm-ok"); err != nil {
		t.Fatal(err)
	}
	waitGone(t, ctx, c, tile)
	if _, err := app.CurrentPage(ctx); err == nil {
		t.Error("the uninstalled app still answers automation")
	}
	if out := r.shellCmd(t, "list"); strings.Contains(out, todoID) {
		t.Errorf("shell list after uninstall:\n%s", out)
	}
	entries, _ := os.ReadDir(filepath.Join(r.dataDir(), "storage"))
	for _, e := range entries {
		if strings.Contains(e.Name(), todoID) {
			t.Errorf("storage left behind: %s", e.Name())
		}
	}
	if out := r.shellCmd(t, "perms", "list", todoID); strings.Contains(out, "clipboard:write") {
		t.Errorf("decisions left behind:\n%s", out)
	}
	if err := c.Screenshot(ctx, artifact(t, "launcher-empty.png")); err != nil {
		t.Fatal(err)
	}
	r.stop(t)
}

// auditLine returns the last audit line that match accepts, failing without one.
func auditLine(t *testing.T, r *running, match func(map[string]any) bool) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(r.dataDir(), "audit", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	found := ""
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var e map[string]any
		if json.Unmarshal([]byte(line), &e) == nil && match(e) {
			found = line
		}
	}
	if found == "" {
		t.Fatalf("no such audit line in:\n%s", raw)
	}
	return found
}

// Opening a bundle from the file manager: shell desktop-install registers the .sfa type
// with an Exec line; running that line opens the launcher on the verified install flow,
// which warns that nobody trusted signed it and installs only once told to. Then two
// apps run at once, each in its own window.
func TestOpenBundleFromTheDesktop(t *testing.T) {
	needDisplay(t)
	h := home(t)
	dir := t.TempDir()
	key, bundleFile := filepath.Join(dir, "dev.key"), filepath.Join(dir, "widgets.sfa")
	if out, code := shellIn(t, h, "keygen", "-o", key); code != 0 {
		t.Fatalf("keygen: %s", out)
	}
	// The widgets example as another publisher's app nobody here trusts.
	if out, code := shellIn(t, h, "pack", gadgets(t, "1.0.0"), "-o", bundleFile, "--key", key); code != 0 {
		t.Fatalf("pack: %s", out)
	}
	if out, code := shellIn(t, h, "desktop-install", "--exec", shellBin); code != 0 {
		t.Fatalf("desktop-install: %s", out)
	}
	var dataHome string
	for _, kv := range h {
		if v, ok := strings.CutPrefix(kv, "XDG_DATA_HOME="); ok {
			dataHome = v
		}
	}
	entry, err := os.ReadFile(filepath.Join(dataHome, "applications", "sandframe.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, line := range strings.Split(string(entry), "\n") {
		if exec, ok := strings.CutPrefix(line, "Exec="); ok {
			args = strings.Fields(strings.ReplaceAll(exec, "%f", bundleFile))
		}
	}
	if len(args) < 3 || args[0] != shellBin || args[1] != "open" {
		t.Fatalf("Exec line: %q", args)
	}
	// The file manager runs the Exec line in the user's session: same home. Policy
	// answers prompts here (the profile is read below without a person to ask).
	r := launchCmd(t, args[1:], append(h, "SANDFRAME_PERMISSIONS_PROMPT=policy", "SANDFRAME_PERMISSIONS_PROMPTS=allow"))
	ctx, cancel := context.WithTimeout(context.Background(), 90e9)
	defer cancel()
	c := r.client

	offer := waitContains(t, ctx, c, "#offer", "Gadgets")
	if !strings.Contains(strings.ToLower(offer), "unverified") && !strings.Contains(strings.ToLower(offer), "not signed by") {
		t.Errorf("the offer of an untrusted bundle does not warn: %q", offer)
	}
	for _, want := range []string{"clipboard:write", "user:readProfile"} {
		if !strings.Contains(offer, want) {
			t.Errorf("the offer does not list %s: %q", want, offer)
		}
	}
	if err := c.Screenshot(ctx, artifact(t, "launcher-offer.png")); err != nil {
		t.Fatal(err)
	}
	// Nothing is installed before the user says so.
	if out := r.shellCmd(t, "list"); strings.Contains(out, "org.example.gadgets") {
		t.Fatalf("installed before confirming:\n%s", out)
	}
	if err := c.Tap(ctx, "#offer-sideload"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#offer-install"); err != nil {
		t.Fatal(err)
	}
	gadgets := `.tile[data-id="org.example.gadgets"]`
	if tile := waitContains(t, ctx, c, gadgets, "Gadgets"); !strings.Contains(strings.ToLower(tile), "unverified") {
		t.Errorf("the sideloaded app's tile: %q", tile)
	}
	if out := r.shellCmd(t, "list"); !strings.Contains(out, "org.example.gadgets") || !strings.Contains(out, "unverified") {
		t.Fatalf("shell list after installing:\n%s", out)
	}

	// Two apps at once, each with its own window and automation.
	if err := c.Tap(ctx, gadgets); err != nil {
		t.Fatal(err)
	}
	if err := c.Input(ctx, "#search", "todo"); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) { // filtered out of sight
		els, err := c.Query(ctx, gadgets)
		return err == nil && (len(els) == 0 || !els[0].Visible), err
	}); err != nil {
		t.Fatalf("the search did not filter: %v", err)
	}
	if err := c.Press(ctx, "#search", "Enter"); err != nil { // launches the one match
		t.Fatal(err)
	}
	apps := map[string]*automation.Client{}
	for id, route := range map[string]string{"org.example.gadgets": "pages/controls/controls", todoID: "pages/index/index"} {
		app, err := automation.DialWait(ctx, r.sock+"."+id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		defer app.Close()
		if err := app.WaitRoute(ctx, route); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		apps[id] = app
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, `#running [data-action="switch"]`)
		return len(els) == 2, err
	}); err != nil {
		t.Fatalf("the launcher does not list both running apps: %v", err)
	}
	if err := c.Input(ctx, "#search", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "launcher-running.png")); err != nil {
		t.Fatal(err)
	}

	// The profile set in the launcher is what an app allowed to read it gets.
	if err := c.Tap(ctx, "#profile"); err != nil {
		t.Fatal(err)
	}
	waitContains(t, ctx, c, "#profile-save", "")
	if err := c.Input(ctx, "#profile-name", "Ada Lovelace"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#profile-save"); err != nil {
		t.Fatal(err)
	}
	waitContains(t, ctx, c, "#profile", "Ada Lovelace")
	gadgetsApp := apps["org.example.gadgets"]
	if err := gadgetsApp.Tap(ctx, "#who"); err != nil {
		t.Fatal(err)
	}
	if err := gadgetsApp.WaitText(ctx, "#perm-result", "Hello, Ada Lovelace"); err != nil {
		t.Fatal(err)
	}

	// Close from the running strip stops the app.
	if err := c.Tap(ctx, `#running [data-action="close"]`); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, `#running [data-action="switch"]`)
		return len(els) == 1, err
	}); err != nil {
		t.Fatalf("closing from the running strip: %v", err)
	}
	r.stop(t)
}

// gadgets is the widgets example as another publisher's app, org.example.gadgets, at
// version v.
func gadgets(t *testing.T, v string) string {
	t.Helper()
	src := copyExample(t, "widgets")
	raw, err := os.ReadFile(filepath.Join(src, "app.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["id"], m["name"], m["version"] = "org.example.gadgets", "Gadgets", v
	raw, _ = json.Marshal(m)
	if err := os.WriteFile(filepath.Join(src, "app.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return src
}

// The launcher's catalog: browse it, install from it, see an update offered at the next
// start, update, and the rollback it makes possible.
func TestLauncherCatalog(t *testing.T) {
	needDisplay(t)
	h := home(t)
	dir := t.TempDir()
	key := trustedKey(t, h, dir, "Acme")
	cat := filepath.Join(dir, "catalog")
	publish := func(v string) {
		file := filepath.Join(dir, "gadgets-"+v+".sfa")
		if out, code := shellIn(t, h, "pack", gadgets(t, v), "-o", file, "--key", key); code != 0 {
			t.Fatalf("pack %s: %s", v, out)
		}
		if out, code := shellIn(t, h, "store", "add", cat, file, "--key", key); code != 0 {
			t.Fatalf("store add %s: %s", v, out)
		}
	}
	publish("1.0.0")
	url := serveCatalog(t, h, cat)
	withCatalog := append(h, "SANDFRAME_LAUNCHER_CATALOG="+url)

	r := launchCmd(t, nil, withCatalog)
	ctx, cancel := context.WithTimeout(context.Background(), 90e9)
	defer cancel()
	c := r.client

	// Install from a file goes through the shell's file chooser; cancelling the offer
	// installs nothing.
	picked := filepath.Join(dir, "gadgets-0.9.0.sfa")
	if out, code := shellIn(t, h, "pack", gadgets(t, "0.9.0"), "-o", picked, "--key", key); code != 0 {
		t.Fatalf("pack: %s", out)
	}
	waitContains(t, ctx, c, "#install-file", "")
	if err := c.Tap(ctx, "#install-file"); err != nil {
		t.Fatal(err)
	}
	if err := waitDialogs(ctx, c, 1); err != nil {
		t.Fatalf("no file chooser: %v", err)
	}
	if err := c.Call(ctx, "test.answerFiles", map[string]string{"path": picked}, nil); err != nil {
		t.Fatal(err)
	}
	if offer := waitContains(t, ctx, c, "#offer", "Gadgets"); !strings.Contains(offer, "Acme") || !strings.Contains(offer, "0.9.0") {
		t.Errorf("the offer of a trusted bundle: %q", offer)
	}
	if err := c.Tap(ctx, "#offer-cancel"); err != nil {
		t.Fatal(err)
	}
	if out := r.shellCmd(t, "list"); strings.Contains(out, "org.example.gadgets") {
		t.Fatalf("installed although cancelled:\n%s", out)
	}

	waitContains(t, ctx, c, "#open-catalog", "")
	if err := c.Tap(ctx, "#open-catalog"); err != nil {
		t.Fatal(err)
	}
	row := `.catalog-app[data-id="org.example.gadgets"]`
	waitContains(t, ctx, c, row, "Gadgets")
	if err := c.Screenshot(ctx, artifact(t, "launcher-catalog.png")); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, row+` [data-action="install"]`); err != nil {
		t.Fatal(err)
	}
	waitContains(t, ctx, c, row, "Installed")
	if out := r.shellCmd(t, "list"); !strings.Contains(out, "org.example.gadgets") || !strings.Contains(out, "Acme") {
		t.Fatalf("shell list after installing from the catalog:\n%s", out)
	}
	r.stop(t)

	// A newer release: the next start offers it.
	publish("1.1.0")
	r = launchCmd(t, nil, withCatalog)
	c = r.client
	tile := `.tile[data-id="org.example.gadgets"]`
	waitContains(t, ctx, c, tile, "Update")
	if err := c.Tap(ctx, tile+` [data-action="details"]`); err != nil {
		t.Fatal(err)
	}
	update := `#details [data-action="update"]`
	waitContains(t, ctx, c, update, "")
	if err := c.Tap(ctx, update); err != nil {
		t.Fatal(err)
	}
	waitContains(t, ctx, c, `#details [data-action="rollback"]`, "1.0.0")
	waitContains(t, ctx, c, "#details", "1.1.0")
	if out := r.shellCmd(t, "list"); !strings.Contains(out, "1.1.0") {
		t.Fatalf("shell list after the update:\n%s", out)
	}
	if err := c.Tap(ctx, `#details [data-action="rollback"]`); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		return regexp.MustCompile(`org\.example\.gadgets\s+1\.0\.0\s`).MatchString(r.shellCmd(t, "list")), nil
	}); err != nil {
		t.Fatalf("rollback from the launcher: %s", r.shellCmd(t, "list"))
	}
	r.stop(t)
}

// childExes lists the program names (the base of /proc/PID/exe) of the processes under
// pid.
func childExes(t *testing.T, pid int) []string {
	t.Helper()
	var names []string
	for _, p := range descendants(pid) { // soak_test.go
		if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", p)); err == nil {
			names = append(names, filepath.Base(exe))
		}
	}
	return names
}

package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/automation"
)

// startCatalog is serveCatalog returning the server process too (to take it down).
func startCatalog(t *testing.T, h []string, dir string) (string, *exec.Cmd) {
	t.Helper()
	srv := exec.Command(shellBin, "store", "serve", dir, "--addr", "127.0.0.1:0")
	srv.Env = env(h)
	stdout, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	url := regexp.MustCompile(`http://\S+?/`).FindString(line)
	if err != nil || url == "" {
		t.Fatalf("store serve said %q (%v)", line, err)
	}
	return url, srv
}

// inProcess runs the app's logic in the shell's process: a logic child process cannot take
// a subpackage's files after its start yet (host/subpackages.go).
const inProcess = "SANDFRAME_ISOLATION_MODE=goroutine"

// TestSubpackageFetchOnNavigation: installed from a loopback catalog, the app has its
// core only; the first navigation into the shop subpackage fetches it, verifies it and
// shows its page; with the catalog gone, navigating into a missing subpackage fails
// WeChat's way and the app keeps running.
func TestSubpackageFetchOnNavigation(t *testing.T) {
	needDisplay(t)
	if _, err := os.Stat(filepath.Join(repoRoot, "examples", "subpackages")); err != nil {
		t.Skip("needs examples/subpackages and host.LoadFetching (the submodel branch; then build without subpkg_launch_premerge.go)")
	}
	const id = "dev.sandframe.subpackages"
	dir := t.TempDir()
	h := home(t)
	h2 := home(t) // a second machine, for the offline case
	key := filepath.Join(dir, "acme.key")
	out, _ := shellIn(t, h, "keygen", "-o", key)
	pub := regexp.MustCompile(`public key:\s+(\S+)`).FindStringSubmatch(out)
	if pub == nil {
		t.Fatalf("keygen:\n%s", out)
	}
	for _, hh := range [][]string{h, h2} {
		if out, code := shellIn(t, hh, "trust", "add", "Acme", pub[1]); code != 0 {
			t.Fatalf("trust add: %s", out)
		}
	}
	sfa := filepath.Join(dir, "subs.sfa")
	if out, code := shellIn(t, h, "pack", "examples/subpackages", "-o", sfa, "--key", key); code != 0 {
		t.Fatalf("pack (%d):\n%s", code, out)
	}
	cat := filepath.Join(dir, "catalog")
	if out, code := shellIn(t, h, "store", "add", cat, sfa, "--key", key); code != 0 {
		t.Fatalf("store add (%d):\n%s", code, out)
	}
	url, srv := startCatalog(t, h, cat)
	if out, code := shellIn(t, h, "install", id, "--catalog", url); code != 0 {
		t.Fatalf("install (%d):\n%s", code, out)
	}
	if got := installedFiles(t, h, id, "shop"); len(got) != 0 {
		t.Fatalf("installed with the shop subpackage: %v", got)
	}

	r := launchEnv(t, id, append(h, inProcess))
	ctx := ctxT(t)
	if err := r.client.WaitText(ctx, "#title", "Main package"); err != nil {
		t.Fatal(err)
	}
	if err := r.client.Tap(ctx, "#shop"); err != nil {
		t.Fatal(err)
	}
	if err := r.client.WaitText(ctx, "#title", "Shop subpackage"); err != nil {
		t.Fatal(err)
	}
	if got := installedFiles(t, h, id, "shop"); len(got) == 0 {
		t.Fatal("the shop subpackage was not installed")
	}
	r.stop(t)

	// Offline: a second machine installs the core, then the catalog goes away.
	if out, code := shellIn(t, h2, "install", id, "--catalog", url); code != 0 {
		t.Fatalf("install on the second machine (%d):\n%s", code, out)
	}
	srv.Process.Kill()
	srv.Wait()
	r2 := launchEnv(t, id, append(h2, inProcess))
	if err := r2.client.WaitText(ctx, "#title", "Main package"); err != nil {
		t.Fatal(err)
	}
	if err := r2.client.Tap(ctx, "#shop"); err != nil {
		t.Fatal(err)
	}
	var got string
	err := automation.WaitFor(ctx, func() (bool, error) {
		var err error
		got, err = r2.client.Text(ctx, "#result")
		return strings.HasPrefix(got, "navigateTo:fail"), err
	})
	if err != nil {
		t.Fatalf("offline navigation: #result %q: %v", got, err)
	}
	if err := r2.client.WaitText(ctx, "#title", "Main package"); err != nil {
		t.Fatalf("the app after a failed fetch: %v", err)
	}
	r2.stop(t)
}

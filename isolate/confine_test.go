package isolate

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

// probeEnv makes the test child run confineProbe right after confinement.
const probeEnv = "SANDFRAME_ISOLATE_TEST_PROBE"

// confineProbe tries, after confinement and before the app loads, what a goja escape
// would try, and logs what each attempt returned ("ok" if it was allowed).
func confineProbe(log *slog.Logger, appDir string) {
	res := func(err error) string {
		if err == nil {
			return "ok"
		}
		return err.Error()
	}
	openErr := func(name string) string {
		f, err := os.Open(name)
		if err == nil {
			f.Close()
		}
		return res(err)
	}
	socket := func(domain int) string {
		fd, err := syscall.Socket(domain, syscall.SOCK_STREAM, 0)
		if err == nil {
			syscall.Close(fd)
		}
		return res(err)
	}
	log.Info("confine probe",
		"open", openErr("/etc/passwd"),
		"openHome", openErr(os.TempDir()),
		"readApp", res(readOne(appDir)),
		"readSibling", res(readOne(filepath.Join(appDir, "..", "todo"))), // another app's folder
		"writeApp", res(os.WriteFile(filepath.Join(appDir, "probe.txt"), []byte("x"), 0o600)),
		"socketInet", socket(syscall.AF_INET),
		"socketUnix", socket(syscall.AF_UNIX),
		"exec", res(runTrue()),
		"execve", res(syscall.Exec("/bin/true", []string{"true"}, nil)),
		"ptrace", res(syscall.PtraceAttach(os.Getppid())),
		"killParent", res(syscall.Kill(os.Getppid(), 0)),
		"mmapExec", res(mmapExec()),
	)
}

// runTrue forks and execs /bin/true with our own descriptors (no /dev/null to open).
func runTrue() error {
	cmd := exec.Command("/bin/true")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stderr, os.Stderr
	return cmd.Run()
}

// mmapExec asks for executable memory, which no part of the child needs.
func mmapExec() error {
	b, err := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_EXEC, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err == nil {
		syscall.Munmap(b)
	}
	return err
}

// readOne reads app.js, which the child read before confinement and cannot now.
func readOne(dir string) error {
	_, err := os.ReadFile(filepath.Join(dir, "app.js"))
	return err
}

// TestConfinedChild: the child reports confinement, the kernel agrees (/proc status),
// and what an escaped app would try is refused while the app's own files stay readable.
func TestConfinedChild(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("confinement is Linux only")
	}
	h, logs := newFakeHost(), &logSink{}
	o := childOptions(t, hostileApp, h, logs)
	o.Env = append(o.Env, probeEnv+"=1")
	rt, err := Start(o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(rt.Stop)
	checkConfined(t, rt, h, logs)
}

// checkConfined asserts what TestConfinedChild asserts of a child running hostileApp
// with the probe on: the kernel agrees with the report, the probe's attempts were
// refused, and the app then launches and answers a tap.
func checkConfined(t *testing.T, rt *Runtime, h *fakeHost, logs *logSink) {
	t.Helper()
	c := rt.Confinement()
	t.Logf("confinement: %s %v", c, c.Warnings)

	status, err := os.ReadFile("/proc/" + strconv.Itoa(rt.PID()) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	field := func(name string) string {
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, name+":"); ok {
				return strings.TrimSpace(v)
			}
		}
		return ""
	}
	if !c.NoNewPrivs || field("NoNewPrivs") != "1" {
		t.Errorf("NoNewPrivs: reported %v, status %q; want true, 1", c.NoNewPrivs, field("NoNewPrivs"))
	}
	if c.Seccomp != (field("Seccomp") == "2") {
		t.Errorf("Seccomp: reported %v, status %q", c.Seccomp, field("Seccomp"))
	}
	if !c.PDeathSig {
		t.Errorf("PDeathSig not reported: %v", c.Warnings)
	}

	p := logs.wait(t, func(r map[string]string) bool { return r["msg"] == "confine probe" })
	refused := func(what string, want ...syscall.Errno) {
		t.Helper()
		got := p[what]
		for _, e := range want {
			if strings.Contains(got, e.Error()) {
				return
			}
		}
		t.Errorf("%s: %q, want one of %v", what, got, want)
	}
	// The app's code was preloaded: not even its own folder is reachable.
	if c.Seccomp || c.Landlock > 0 {
		refused("readApp", syscall.EPERM, syscall.EACCES)
		refused("readSibling", syscall.EPERM, syscall.EACCES)
	}
	if c.Seccomp {
		refused("socketInet", syscall.EPERM)
		refused("socketUnix", syscall.EPERM)
		refused("exec", syscall.EPERM)
		refused("execve", syscall.EPERM)
		refused("ptrace", syscall.EPERM)
		refused("killParent", syscall.EPERM)
		refused("mmapExec", syscall.EPERM)
	} else {
		t.Log("seccomp is not available here: socket, exec, ptrace not asserted")
	}
	if c.Landlock > 0 {
		refused("open", syscall.EACCES, syscall.EPERM)
		refused("openHome", syscall.EACCES, syscall.EPERM)
		refused("writeApp", syscall.EACCES, syscall.EPERM)
	} else {
		t.Log("Landlock is not available here: file access not asserted")
	}
	if _, err := os.Stat(filepath.Join(hostileApp.dir, "probe.txt")); !errors.Is(err, os.ErrNotExist) {
		os.Remove(filepath.Join(hostileApp.dir, "probe.txt"))
		t.Errorf("the probe wrote into the app's directory (stat: %v)", err)
	}

	// The app still works under all of it.
	launched := &testChild{rt: rt, host: h, logs: logs}
	launched.launch(t)
	launched.ping(t)
}

// TestConfinementString covers the report's summary line.
func TestConfinementString(t *testing.T) {
	for _, tc := range []struct {
		c    Confinement
		want string
		full bool
	}{
		{Confinement{}, "none", false},
		{Confinement{NoNewPrivs: true, Seccomp: true, Landlock: 7, PDeathSig: true}, "no_new_privs, seccomp, landlock v7, pdeathsig", true},
		{Confinement{NoNewPrivs: true, PDeathSig: true}, "no_new_privs, pdeathsig", false},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
		if tc.c.Full() != tc.full {
			t.Errorf("%+v: Full %v, want %v", tc.c, tc.c.Full(), tc.full)
		}
	}
}

// TestProbeConfinement: the probe child reports the same confinement as an app's child.
func TestProbeConfinement(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c, err := ProbeConfinement(exe, []string{ChildArg}, []string{childEnv + "=serve", raceNoExitSleep})
	if err != nil {
		t.Fatalf("ProbeConfinement: %v", err)
	}
	t.Logf("confinement: %s %v", c, c.Warnings)
	if runtime.GOOS == "linux" && (!c.NoNewPrivs || !c.PDeathSig) {
		t.Errorf("confinement %s: want at least no_new_privs and pdeathsig on Linux", c)
	}
}

// TestPreloadCode: what logic can read is preloaded, nothing else; too much is an error
// (the child then reads lazily).
func TestPreloadCode(t *testing.T) {
	src := fstest.MapFS{
		"app.js":                         {Data: []byte("App({})")},
		"pages/a/a.ts":                   {Data: []byte("Page({})")},
		"pages/a/a.wxml":                 {Data: []byte("<view/>")},
		"miniprogram_npm/x/package.json": {Data: []byte(`{"main":"lib.js"}`)},
		"miniprogram_npm/x/lib.js":       {Data: []byte("module.exports=1")},
		"node_modules/big/index.js":      {Data: []byte("x")},
		".git/hooks/a.js":                {Data: []byte("x")},
		"images/a.png":                   {Data: []byte("png")},
	}
	got, err := preloadCode(src)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range got {
		names = append(names, name)
	}
	slices.Sort(names)
	want := []string{"app.js", "miniprogram_npm/x/lib.js", "miniprogram_npm/x/package.json", "pages/a/a.ts"}
	if !slices.Equal(names, want) {
		t.Errorf("preloaded %v, want %v", names, want)
	}
	if b, err := fs.ReadFile(got, "pages/a/a.ts"); err != nil || string(b) != "Page({})" {
		t.Errorf("read back: %q %v", b, err)
	}
	if info, err := fs.Stat(got, "pages/a"); err != nil || !info.IsDir() {
		t.Errorf("folders must stat as folders: %v %v", info, err)
	}

	defer func(files, bytes int) { maxPreloadFiles, maxPreloadBytes = files, bytes }(maxPreloadFiles, maxPreloadBytes)
	maxPreloadFiles = 2
	if _, err := preloadCode(src); !errors.Is(err, errPreloadTooBig) {
		t.Errorf("3 files over a bound of 2: %v, want errPreloadTooBig", err)
	}
	maxPreloadFiles, maxPreloadBytes = 100, 10
	if _, err := preloadCode(src); !errors.Is(err, errPreloadTooBig) {
		t.Errorf("bytes over the bound: %v, want errPreloadTooBig", err)
	}
}

// Environment of the test child: treat Landlock or seccomp as absent from the kernel.
const (
	noLandlockEnv = "SANDFRAME_ISOLATE_TEST_NO_LANDLOCK"
	noSeccompEnv  = "SANDFRAME_ISOLATE_TEST_NO_SECCOMP"
)

// TestConfinementDegrades: a kernel without Landlock or seccomp gets a logged warning and
// a report that says so, and the app runs all the same.
func TestConfinementDegrades(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("confinement is Linux only")
	}
	h, logs := newFakeHost(), &logSink{}
	o := childOptions(t, todoApp, h, logs)
	o.Env = append(o.Env, noLandlockEnv+"=1", noSeccompEnv+"=1")
	rt, err := Start(o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(rt.Stop)
	c := rt.Confinement()
	if c.Landlock != 0 || c.Seccomp || !c.NoNewPrivs || !c.PDeathSig || len(c.Warnings) != 2 {
		t.Errorf("confinement %s %q: want no_new_privs and pdeathsig only, two warnings", c, c.Warnings)
	}
	for _, feature := range []string{"landlock", "seccomp"} {
		logs.wait(t, func(r map[string]string) bool {
			return r["msg"] == "isolate child: confinement degraded" && r["level"] == "WARN" && strings.HasPrefix(r["warning"], feature+":")
		})
	}
	(&testChild{rt: rt, host: h, logs: logs}).launch(t)
}

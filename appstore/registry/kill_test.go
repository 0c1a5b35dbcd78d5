package registry

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/appstore/trust"
)

// The kill test re-executes the test binary as an installer (TestMain sees killChildEnv).
const (
	killChildEnv = "SANDFRAME_REGISTRY_KILL_ROOT"
	killStepEnv  = "SANDFRAME_REGISTRY_KILL_STEP" // the child kills itself at this install step
	killApp      = "dev.test.kill"
)

// killChild installs ROOT/v2.sfa into the registry of the home at ROOT. It prints
// "start" just before Install, "step S" as the install passes each step, and "done"
// when Install returned.
func killChild(root string) int {
	at := os.Getenv(killStepEnv)
	testHook = func(step string) {
		fmt.Println("step", step) // one write(2) on an unbuffered pipe
		if step == at {
			p, _ := os.FindProcess(os.Getpid())
			p.Kill()
			select {}
		}
	}
	ts, err := trust.Open(filepath.Join(root, "config", "trust.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "trust:", err)
		return 1
	}
	r, err := Open(configAt(root, ts))
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 1
	}
	b, err := os.ReadFile(filepath.Join(root, "v2.sfa"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("start")
	if os.Getenv(killSubEnv) != "" { // TestSubpackageInstallSurvivesKill
		if err := r.InstallSubpackage(killApp, "", bytes.NewReader(b), int64(len(b))); err != nil {
			fmt.Fprintln(os.Stderr, "install subpackage:", err)
			return 1
		}
		fmt.Println("done")
		return 0
	}
	if _, err := r.Install(bytes.NewReader(b), int64(len(b)), InstallOptions{}); err != nil {
		fmt.Fprintln(os.Stderr, "install:", err)
		return 1
	}
	fmt.Println("done")
	return 0
}

// killRun is what one run of the child did.
type killRun struct {
	killed   bool
	lastStep string                   // the last install step the child reported
	took     time.Duration            // from "start" to "done" or to the kill
	steps    map[string]time.Duration // from "start" to each step
}

// runChild starts an installer in root, kills it delay after it reported the step from
// ("" : after it printed "start"; never, when delay < 0), and waits for it.
func runChild(t *testing.T, root, step, from string, delay time.Duration) killRun {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+root, killStepEnv+"="+step)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	run := killRun{steps: map[string]time.Duration{}}
	var started time.Time
	var timer <-chan time.Time
	for lines != nil {
		select {
		case l, ok := <-lines:
			switch {
			case !ok:
				lines = nil
			case l == "start":
				started = time.Now()
				if delay >= 0 && from == "" {
					timer = time.After(delay)
				}
			case strings.HasPrefix(l, "step "):
				run.lastStep = strings.TrimPrefix(l, "step ")
				run.steps[run.lastStep] = time.Since(started)
				if delay >= 0 && from == run.lastStep {
					timer = time.After(delay)
				}
			case l == "done":
				run.took = time.Since(started)
			}
		case <-timer:
			cmd.Process.Kill()
			run.took = time.Since(started)
			timer = nil
		}
	}
	cmd.Wait()
	run.killed = cmd.ProcessState.ExitCode() == -1
	if !run.killed && cmd.ProcessState.ExitCode() != 0 {
		t.Fatalf("installer failed: %s", stderr.String())
	}
	return run
}

// checkAfterKill reopens the registry and finds 1.0.0 or 2.0.0 installed, its files and
// those of its previous version intact, nothing else on disk.
func checkAfterKill(t *testing.T, root string) string {
	t.Helper()
	e := newEnvAt(t, root)
	r, err := Open(e.cfg)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer r.Close()
	in, _, err := r.Verify(killApp)
	if err != nil {
		t.Fatalf("installed app does not verify: %v", err)
	}
	switch {
	case in.Version == "1.0.0" && in.Previous == nil:
	case in.Version == "2.0.0" && in.Previous != nil && in.Previous.Version == "1.0.0":
		_, prev, err := loadApp(r.db, killApp)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.check(prev); err != nil {
			t.Fatalf("previous version does not verify: %v", err)
		}
	default:
		t.Fatalf("installed %+v, previous %+v", in, in.Previous)
	}
	wantDirs(t, r, in)
	stagingEmpty(t, r)
	return in.Version
}

// prepareKillRoot makes a home with 1.0.0 installed and 2.0.0 waiting in v2.sfa.
func prepareKillRoot(t *testing.T, root string, v1, v2 []byte) {
	t.Helper()
	e := newEnvAt(t, root)
	r, err := Open(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	install(t, r, v1, InstallOptions{})
	r.Close()
	if err := os.WriteFile(filepath.Join(root, "v2.sfa"), v2, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestInstallSurvivesKill kills an installer updating 1.0.0 to 2.0.0, first at each
// named step, then at random moments at least 50 times; after every kill the registry
// names 1.0.0 or 2.0.0, whose files verify, and Open leaves no residue.
func TestInstallSurvivesKill(t *testing.T) {
	kills := 50
	if testing.Short() {
		kills = 10
	}
	v1 := pack(t, app{id: killApp, version: "1.0.0", key: key(1), extra: randomFiles(40, 4<<10, 1)})
	v2 := pack(t, app{id: killApp, version: "2.0.0", key: key(1), extra: randomFiles(300, 8<<10, 2)})
	base := t.TempDir()
	n := 0
	fresh := func() string {
		n++
		root := filepath.Join(base, fmt.Sprint(n))
		os.RemoveAll(filepath.Join(base, fmt.Sprint(n-1))) // keep the disk use flat
		prepareKillRoot(t, root, v1, v2)
		return root
	}

	// Each step: killed there, the outcome is known.
	for _, tc := range []struct{ step, want string }{
		{"extracted", "1.0.0"}, {"renamed", "1.0.0"}, {"commit", "1.0.0"}, {"committed", "2.0.0"},
	} {
		root := fresh()
		run := runChild(t, root, tc.step, "", -1)
		if !run.killed || run.lastStep != tc.step {
			t.Fatalf("step %s: killed %v at %q", tc.step, run.killed, run.lastStep)
		}
		if got := checkAfterKill(t, root); got != tc.want {
			t.Fatalf("killed at %s: %s installed, want %s", tc.step, got, tc.want)
		}
	}

	// How long an install takes here, so that random kills spread over all of it.
	root := fresh()
	full := runChild(t, root, "", "", -1)
	if full.killed || checkAfterKill(t, root) != "2.0.0" {
		t.Fatalf("an install that was not killed: %+v", full)
	}
	seed := uint64(time.Now().UnixNano())
	extracted := full.steps["extracted"]
	t.Logf("seed %d; one install takes %v, %v of it reading, verifying and extracting", seed, full.took, extracted)
	rng := rand.New(rand.NewPCG(seed, 0))
	// Half the kills anywhere in the install, half timed from the extract's end: the
	// rename, the commit and the removal of the old version take a small part of the
	// time, which a uniform draw would rarely hit.
	after := full.took - extracted
	randomKill := func(i int) (from string, delay time.Duration) {
		if i%2 == 0 {
			return "", time.Duration(rng.Int64N(int64(full.took+full.took/4) + 1))
		}
		return "extracted", time.Duration(rng.Int64N(int64(after+after/2) + 1))
	}
	killed, landed := 0, map[string]int{}
	outcomes := map[string]int{}
	for runs := 0; killed < kills; runs++ {
		if runs >= 4*kills {
			t.Fatalf("only %d of %d runs were killed before they finished", killed, runs)
		}
		root := fresh()
		from, delay := randomKill(runs)
		run := runChild(t, root, "", from, delay)
		got := checkAfterKill(t, root)
		outcomes[got]++
		if !run.killed {
			if got != "2.0.0" {
				t.Fatalf("finished install left %s", got)
			}
			continue
		}
		killed++
		landed[cmp(run.lastStep, "(none)")]++
		if run.lastStep == "committed" && got != "2.0.0" {
			t.Fatalf("killed after the commit, %s installed", got)
		}
	}
	t.Logf("%d kills; last step reached when killed: %v; installed afterwards: %v", killed, landed, outcomes)
}

func cmp(s, ifEmpty string) string {
	if s == "" {
		return ifEmpty
	}
	return s
}

package storage

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The crash test re-executes the test binary as a writer (TestMain sees crashChildEnv).
const (
	crashChildEnv  = "SANDFRAME_STORAGE_CRASH_DIR"
	crashStartEnv  = "SANDFRAME_STORAGE_CRASH_START"
	crashApp       = "dev.example.crash"
	crashRotateGap = 97 // the writer rotates the app key every this many writes
)

func crashConfig(root string) Config {
	return Config{
		Dir: filepath.Join(root, "data"), ConfigDir: filepath.Join(root, "config"),
		Keyring: &FileKeyring{Dir: filepath.Join(root, "config")},
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func crashValue(i int) string {
	return fmt.Sprintf(`{"i":%d,"pad":%q}`, i, strings.Repeat("é", i%500))
}

// crashChild writes k<i> and then counter=i, for i from $crashStartEnv on, and prints
// "ack i" once both returned nil; it rotates the key now and then. It runs until killed.
func crashChild(root string) int {
	start, _ := strconv.Atoi(os.Getenv(crashStartEnv))
	s, err := Open(crashConfig(root))
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 1
	}
	a, err := s.App(crashApp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "app:", err)
		return 1
	}
	for i := start; ; i++ {
		if err := a.Set(fmt.Sprintf("k%06d", i), json.RawMessage(crashValue(i))); err != nil {
			fmt.Fprintln(os.Stderr, "set:", err)
			return 1
		}
		if err := a.Set("counter", json.RawMessage(strconv.Itoa(i))); err != nil {
			fmt.Fprintln(os.Stderr, "set counter:", err)
			return 1
		}
		fmt.Fprintf(os.Stdout, "ack %d\n", i) // one write(2) on an unbuffered pipe
		if i%crashRotateGap == crashRotateGap-1 {
			if err := s.RotateKey(crashApp); err != nil {
				fmt.Fprintln(os.Stderr, "rotate:", err)
				return 1
			}
		}
	}
}

// TestCrashSafety kills a writer with SIGKILL at random points, many times, and after
// each kill finds every acknowledged write and a database that passes integrity_check.
func TestCrashSafety(t *testing.T) {
	runs := 30
	if testing.Short() {
		runs = 5
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	root := t.TempDir()
	next := 0 // the first index the next writer writes
	for run := range runs {
		killAfter := rng.IntN(120) // acknowledged writes before the kill; 0: right after start
		jitter := time.Duration(rng.IntN(3000)) * time.Microsecond
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+root, crashStartEnv+"="+strconv.Itoa(next))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		acked, seen := -1, 0
		killed := false
		kill := func() {
			if !killed {
				time.Sleep(jitter) // lands the kill anywhere inside the next writes
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
			}
		}
		if killAfter == 0 {
			kill()
		}
		// Every line printed before the kill was acknowledged: read them all, to EOF.
		for sc.Scan() {
			var i int
			if _, err := fmt.Sscanf(sc.Text(), "ack %d", &i); err != nil {
				t.Fatalf("run %d: writer said %q", run, sc.Text())
			}
			acked, seen = i, seen+1
			if seen >= killAfter {
				kill()
			}
		}
		kill()
		werr := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("run %d: writer ended on its own (%v): %s", run, werr, stderr.String())
		}
		if acked >= 0 {
			next = acked + 1
		}
		verifyAfterCrash(t, run, root, next)
		t.Logf("run %d: killed after %d acknowledged writes (wanted %d), %d in all", run, seen, killAfter, next)
	}
}

// verifyAfterCrash reopens the store and checks k0..k<next-1> and the counter.
func verifyAfterCrash(t *testing.T, run int, root string, next int) {
	t.Helper()
	s, err := Open(crashConfig(root))
	if err != nil {
		t.Fatalf("run %d: reopen: %v", run, err)
	}
	defer s.Close()
	a, _ := s.App(crashApp)
	for i := range next {
		v, err := a.Get(fmt.Sprintf("k%06d", i))
		if err != nil || string(v) != crashValue(i) {
			t.Fatalf("run %d: acknowledged k%06d lost: %q, %v", run, i, v, err)
		}
	}
	if next > 0 {
		v, err := a.Get("counter")
		n, _ := strconv.Atoi(string(v))
		if err != nil || n < next-1 {
			t.Fatalf("run %d: counter %q (%v), want ≥ %d", run, v, err, next-1)
		}
	}
	name, _ := dirName(crashApp)
	if path := filepath.Join(s.dir, name, dbFile); exists(path) {
		db := rawDB(t, s, crashApp)
		var res string
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
			t.Fatalf("run %d: integrity_check = %q, %v", run, res, err)
		}
		db.Close()
	}
}

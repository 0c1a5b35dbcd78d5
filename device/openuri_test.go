package device

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/internal/procenv"
)

// TestOpenURIGivesTheUsersEnvironment: the desktop's handler (xdg-open) gets the
// URI and the environment the shell was started with, not what the shell set to tune
// its own process.
func TestOpenURIGivesTheUsersEnvironment(t *testing.T) {
	bin := t.TempDir()
	out := filepath.Join(t.TempDir(), "env")
	script := "#!/bin/sh\n{ echo \"arg=$1\"; env; } > " + out + ".tmp && mv " + out + ".tmp " + out + "\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("SF_OPENURI_USER", "kept")
	t.Setenv("SF_OPENURI_TUNING", "")
	if !procenv.SetDefault("SF_OPENURI_TUNING", "shell") {
		t.Fatal("SetDefault did not set the variable")
	}
	if err := OpenURI("tel:+4930123"); err != nil {
		t.Fatal(err)
	}
	var got []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(out); err == nil {
			got = b
			break
		}
	}
	env := string(got)
	if !strings.Contains(env, "arg=tel:+4930123\n") {
		t.Fatalf("xdg-open was not run with the URI:\n%s", env)
	}
	if !strings.Contains(env, "SF_OPENURI_USER=kept\n") {
		t.Error("the handler lost the user's own variable")
	}
	if strings.Contains(env, "SF_OPENURI_TUNING=") {
		t.Error("the handler got a variable the shell set for itself")
	}
}

package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	login "github.com/sandframe/sandframe/identity"
	"github.com/sandframe/sandframe/identity/verify"
	"github.com/sandframe/sandframe/internal/identity"
)

// TestIdentityVerifyCmd: `shell identity verify` prints the pseudonymous id of a code
// the app's login key made, and refuses it for another app or another pinned key.
func TestIdentityVerifyCmd(t *testing.T) {
	cfg, _ := identityEnv(t)
	st, err := openStorage(cfg)
	must(t, err)
	app := identity.Unverified(notesID)
	key, _, err := login.Key(login.StoreOf(st), app, true)
	must(t, err)
	st.Close()
	code, err := login.Code(key, app, time.Now())
	must(t, err)
	want, err := verify.Verify(code, verify.Options{})
	must(t, err)

	out, err := runCmd(t, "identity", "verify", code, "--app", notesID)
	if err != nil || strings.TrimSpace(out) != want.Subject {
		t.Fatalf("verify: %q, %v; want %q", out, err, want.Subject)
	}
	out, err = runCmd(t, "identity", "verify", code, "--app", notesID, "--key", want.Key, "--json")
	if err != nil || !strings.Contains(out, `"sub": "`+want.Subject+`"`) || !strings.Contains(out, `"aud": "`+notesID+`"`) {
		t.Fatalf("verify --json: %q, %v", out, err)
	}
	if _, err := runCmd(t, "identity", "verify", code, "--app", "dev.example.other"); !errors.Is(err, verify.ErrAudience) {
		t.Errorf("another app: %v", err)
	}
	if _, err := runCmd(t, "identity", "verify", code, "--app", notesID, "--key", strings.Repeat("A", 43)); !errors.Is(err, verify.ErrKey) {
		t.Errorf("another key: %v", err)
	}
	if _, err := runCmd(t, "identity", "verify", code[:len(code)-4]+"AAAA", "--app", notesID); err == nil {
		t.Error("a tampered code verifies")
	}
}

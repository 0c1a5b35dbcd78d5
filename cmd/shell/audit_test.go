package main

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// TestAuditCmdVerify: `shell audit --verify` says OK for an intact log and names the
// first changed line (with an error, exit status 1) after an edit; --last limits rows.
func TestAuditCmdVerify(t *testing.T) {
	cfg, _ := identityEnv(t)
	if out, err := runCmd(t, "audit", "--verify"); err != nil || !strings.Contains(out, "OK: 0 lines") {
		t.Fatalf("no log yet: %q %v", out, err)
	}
	a, err := bridge.OpenAudit(cfg.AuditPath())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		a.Record(bridge.AuditEntry{App: "dev.x", Page: "p" + strconv.Itoa(i), Kind: "api", API: "ping", Decision: bridge.DecisionOK})
	}
	a.Close()
	if out, err := runCmd(t, "audit", "--verify"); err != nil || !strings.Contains(out, "OK: 4 lines") {
		t.Fatalf("intact log: %q %v", out, err)
	}
	if out, err := runCmd(t, "audit", "dev.x"); err != nil || strings.Count(out, "api/ping") != 4 {
		t.Errorf("audit dev.x: %q %v", out, err)
	}
	if out, err := runCmd(t, "audit", "--last", "2"); err != nil || strings.Count(out, "api/ping") != 2 {
		t.Errorf("--last 2: %q %v", out, err)
	}
	if _, err := runCmd(t, "audit", "--verify", "--denied"); err == nil {
		t.Error("--verify --denied: no error")
	}
	data, _ := os.ReadFile(cfg.AuditPath())
	os.WriteFile(cfg.AuditPath(), bytes.Replace(data, []byte(`"page":"p1"`), []byte(`"page":"pX"`), 1), 0o600)
	out, err := runCmd(t, "audit", "--verify")
	if err == nil || !strings.Contains(out, "BROKEN at "+cfg.AuditPath()+":2") {
		t.Errorf("edited line 2: %q %v", out, err)
	}
}

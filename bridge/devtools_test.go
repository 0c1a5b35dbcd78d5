package bridge

import (
	"path/filepath"
	"strings"
	"testing"
)

// A mini-app page that sends one of DevTools' privileged kinds is refused at its gate,
// with a reason that names DevTools, and the refusal is audited under the app.
func TestDevToolsKindsRefusedFromAPage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	audit, err := OpenAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	defer audit.Close()
	g := NewGate(GateConfig{App: "demo", Window: "w1", Audit: audit, Logger: quiet})
	for i, kind := range []Kind{KindDevTools, KindDevToolsResult} {
		raw := `{"v":1,"kind":"` + string(kind) + `","payload":{"id":1,"op":"eval","args":{"expr":"1"}}}`
		if _, err := g.FromPage([]byte(raw)); err == nil || !strings.Contains(err.Error(), "DevTools messages come only from the DevTools window") {
			t.Fatalf("%s from a page: %v", kind, err)
		}
		if g.Violations() != i+1 {
			t.Fatalf("violations %d after %s", g.Violations(), kind)
		}
	}
	lines, err := ReadAudit(path, Filter{App: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[0].Kind != "devtools" || lines[0].Decision != DecisionRefused || !strings.Contains(lines[0].Reason, "DevTools") {
		t.Fatalf("audit: %+v", lines)
	}
}

package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLenientLoading runs host/testdata/lenient, the loader's leniency as WeChat has it:
// a subpackage whose pages load with the main package's (one that does not compile is
// left out), app.json keys the shell ignores, and a component file that calls Page()
// (left out: its tag is a plain container that keeps its children). It must launch and
// navigate into the subpackage.
func TestLenientLoading(t *testing.T) {
	r := launch(t, "host/testdata/lenient")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#inside", "kept inside a component that calls Page()"); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, "#go"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitRoute(ctx, "pkg/ok/ok"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#said", "from a subpackage"); err != nil {
		t.Error(err)
	}
}

// TestDoctorCLI: shell doctor's exit status (0 runs, 1 blocked, 2 bad input) and JSON.
func TestDoctorCLI(t *testing.T) {
	h := home(t)
	out, code := shellIn(t, h, "doctor", "host/testdata/lenient")
	if code != 0 || !strings.Contains(out, "runs: 0 blocking") || !strings.Contains(out, "is in a subpackage and is left out") {
		t.Fatalf("doctor of the lenient app (%d):\n%s", code, out)
	}
	out, code = shellIn(t, h, "doctor", "--json", "doctor/testdata/blocked")
	if code != 1 {
		t.Fatalf("doctor of a blocked app exited %d:\n%s", code, out)
	}
	var report struct {
		Runs  bool
		Items []struct{ Level, Kind, File string }
	}
	if err := json.Unmarshal([]byte(out[:strings.LastIndex(out, "}")+1]), &report); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, out)
	}
	if report.Runs || len(report.Items) != 5 {
		t.Errorf("report: %+v", report)
	}
	if _, code := shellIn(t, h, "doctor", "no/such/dir"); code != 2 {
		t.Errorf("doctor of a missing folder exited %d, want 2", code)
	}
}

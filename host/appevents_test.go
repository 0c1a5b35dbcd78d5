package host

import (
	"testing"

	"github.com/sandframe/sandframe/monitor"
)

// A start page the app does not have opens the entry page and tells the app
// (App.onPageNotFound), which redirects as WeChat apps do.
func TestStartPageNotFound(t *testing.T) {
	w := newWorld(t, monitor.Budgets{})
	app, err := LoadDir("testdata/appevents")
	if err != nil {
		t.Fatal(err)
	}
	o := w.options()
	o.StartPage = "/pages/gone/gone?x=1"
	s, err := Start(app, o)
	if err != nil {
		t.Fatal(err)
	}
	w.serve(s)
	d := waitData(t, s, func(d map[string]any) bool { return d["from"] != nil })
	if d["page"] != "b" || d["from"] != "pages/gone/gone|1|true" {
		t.Fatalf("front page data %v", d)
	}
}

package host

import (
	"strings"
	"testing"
)

// WeChat's subpackages: their pages load with the main package's; a subpackage's page
// or component that does not load or compile is left out with a warning, and the
// main package runs. app.json keys the shell ignores are warnings.
func TestLoadSubpackages(t *testing.T) {
	a, err := LoadDir("testdata/lenient")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.Project.Routes(), ","); got != "pages/index/index,pkg/ok/ok,pkg/uses/uses" {
		t.Errorf("routes = %s", got)
	}
	if _, ok := a.Pages["pkg/broken/broken"]; ok {
		t.Error("the page that does not compile is still there")
	}
	if _, ok := a.Project.Components["pkg/badcomp/badcomp"]; ok {
		t.Error("the component that does not compile is still there")
	}
	if pg, _ := a.Project.Page("pkg/uses/uses"); len(pg.Using) != 0 {
		t.Errorf("the page still uses the left-out component: %v", pg.Using)
	}
	warns := strings.Join(a.Warnings, "\n")
	for _, want := range []string{
		"pkg/broken/broken.wxml:1:14: wx:if takes a single {{expression}}",
		"pkg/broken/broken is in a subpackage and is left out",
		"pkg/badcomp/badcomp.wxss:1:1: block is never closed",
		"pkg/badcomp/badcomp is in a subpackage and is left out",
		`subpackages[0].pages[3]: page "pkg/missing/missing" has no pkg/missing/missing.js (or .ts); the page is left out`,
		`app.json:7:3: style: "v2"`,
		"app.json:10:3: plugins: plugins are not supported",
		"app.json:11:3: workers:",
	} {
		if !strings.Contains(warns, want) {
			t.Errorf("warnings lack %q:\n%s", want, warns)
		}
	}
	if strings.Contains(warns, "sitemapLocation") || strings.Contains(warns, "lazyCodeLoading") {
		t.Errorf("keys with no effect are warned about:\n%s", warns)
	}
}

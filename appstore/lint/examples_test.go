package lint

import (
	"os"
	"strings"
	"testing"
)

// The shipped examples must come out with no error findings: they are what the README
// tells developers to copy.
func TestExamplesAreClean(t *testing.T) {
	for _, dir := range []string{"../../examples/todo", "../../examples/widgets"} {
		t.Run(dir, func(t *testing.T) {
			findings, err := Run(os.DirFS(dir), Config{})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := WriteText(&b, findings); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s:\n%s", dir, b.String())
			if errs := Blocking(findings, []Severity{SeverityError}); len(errs) > 0 {
				t.Errorf("%s has %d error findings", dir, len(errs))
			}
		})
	}
}

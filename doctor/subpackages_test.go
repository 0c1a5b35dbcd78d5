package doctor

import (
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// The subpackages example runs clean; a require across packages that WeChat refuses
// is reported at its file and line.
func TestSubpackageRules(t *testing.T) {
	src := os.DirFS("../examples/subpackages")
	r, err := Check(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Runs || r.Counts.Blocking != 0 {
		t.Fatalf("example: runs %v, counts %+v: %+v", r.Runs, r.Counts, r.Items)
	}
	m := fstest.MapFS{}
	if err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	m["pages/index/index.js"] = &fstest.MapFile{Data: []byte("// uses the cart\nconst cart = require('../../shop/utils/cart.js')\nPage({})\n")}
	m["solo/pages/alone/alone.js"] = &fstest.MapFile{Data: []byte("const f = require('../../../utils/format.js')\nPage({})\n")}
	r, err = Check(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, it := range r.Items {
		if it.Name == "require" {
			found = append(found, string(it.Level)+" "+it.File+":"+itoa(it.Line)+":"+itoa(it.Col)+" "+it.Message)
		}
	}
	want := []string{
		`blocking pages/index/index.js:2:22 require("../../shop/utils/cart.js"): shop/utils/cart.js is in subpackage "shop": the main package may load it only with require.async`,
		`partly solo/pages/alone/alone.js:1:19 require("../../../utils/format.js"): utils/format.js is outside independent subpackage "solo"`,
	}
	got := strings.Join(found, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("items:\n%s\nlack\n%s", got, w)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

package doctor

import (
	"bytes"
	"fmt"
	"io/fs"

	"github.com/sandframe/sandframe/internal/jsc"
	"github.com/sandframe/sandframe/miniapp"
)

// requires reports every require (by a literal path) that crosses packages against
// WeChat's rules (docs/subpackages.md): the main package and other subpackages reach a
// subpackage's modules only with require.async, an independent subpackage nothing
// outside itself. It fails as the module loads: for a main-package file that stops
// the launch (blocking); a subpackage's page is left out (partly).
func (c *checker) requires(p *miniapp.Project) {
	if len(p.Packages) == 0 {
		return
	}
	seen := map[string]bool{}
	var queue []string
	entries := []string{"app"}
	entries = append(entries, p.Routes()...)
	entries = append(entries, p.ComponentPaths()...)
	for _, e := range entries {
		for _, f := range []string{e + ".js", e + ".ts"} {
			if miniapp.FileExists(c.fsys, f) && !seen[f] {
				seen[f] = true
				queue = append(queue, f)
			}
		}
	}
	for len(queue) > 0 && len(seen) < 4096 {
		file := queue[0]
		queue = queue[1:]
		src, err := fs.ReadFile(c.fsys, file)
		if err != nil {
			continue
		}
		imps := jsc.Imports(file, src)
		for i := 0; i+1 < len(imps); i += 2 {
			req := imps[i+1]
			dep, err := jsc.Resolve(c.fsys, file, req)
			if err != nil {
				continue
			}
			from, to := p.PackageOf(file), p.PackageOf(dep)
			if why := miniapp.ModuleRule(from, to, p.Independent(from)); why != "" {
				level := Blocking
				if from != "" {
					level = Partly
				}
				line, col := position(src, req)
				c.add(Item{Level: level, Kind: KindLoad, Name: "require", File: file, Line: line, Col: col,
					Message: fmt.Sprintf("require(%q): %s %s", req, dep, why)})
			}
			if !seen[dep] {
				seen[dep] = true
				queue = append(queue, dep)
			}
		}
	}
}

// position is the line and column of the first quoted occurrence of s in src.
func position(src []byte, s string) (int, int) {
	for _, q := range []string{`'`, `"`, "`"} {
		if i := bytes.Index(src, []byte(q+s+q)); i >= 0 {
			line := 1 + bytes.Count(src[:i], []byte("\n"))
			col := 1 + len([]rune(string(src[bytes.LastIndexByte(src[:i], '\n')+1:i])))
			return line, col
		}
	}
	return 0, 0
}

package jsc

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Resolve maps require(request) from the file `from` to a file inside fsys, the
// way WeChat resolves it: "./x" and "../x" from the requiring file, "/x" from the app
// root, and a bare "x" (or "@scope/x/y") from miniprogram_npm/ first, then relative to
// the requiring file. Each names a file, the file with ".js" or ".ts" added, or a folder
// holding index.js / index.ts (a package folder's main file, by its package.json, first).
// Nothing outside the mini-app is reachable.
func Resolve(fsys fs.FS, from, request string) (string, error) {
	fail := func(why string) (string, error) {
		return "", fmt.Errorf("require('%s') from %s: %s", request, from, why)
	}
	if request == "" || strings.ContainsAny(request, "\\\x00") {
		return fail("not a module path")
	}
	var bases []string
	switch {
	case strings.HasPrefix(request, "/"):
		bases = []string{request[1:]}
	case request == "." || request == ".." || strings.HasPrefix(request, "./") || strings.HasPrefix(request, "../"):
		bases = []string{path.Join(path.Dir(from), request)}
	default:
		bases = npmBases(from, request)
		bases = append(bases, path.Join(path.Dir(from), request))
	}
	var tried []string
	for _, joined := range bases {
		joined = path.Clean(joined)
		if joined == ".." || strings.HasPrefix(joined, "../") || !fs.ValidPath(joined) || joined == "." {
			if len(bases) == 1 {
				return fail("the path leaves the mini-app")
			}
			continue
		}
		for _, candidate := range moduleCandidates(fsys, joined) {
			tried = append(tried, candidate)
			if IsModuleFile(fsys, candidate) {
				return candidate, nil
			}
		}
	}
	if len(bases) > 1 {
		return fail(fmt.Sprintf("no such module in miniprogram_npm/ nor at %s (.js, .ts, /index.js)", bases[len(bases)-1]))
	}
	return fail("cannot find " + strings.Join(tried, " or "))
}

// npmBases lists where a bare request may live: miniprogram_npm/ folders from the
// requiring file's folder up to the app root (the nearest first), as WeChat's build puts
// them beside the package.json they came from.
func npmBases(from, request string) []string {
	var out []string
	dir := path.Dir(from)
	for {
		out = append(out, path.Join(dir, "miniprogram_npm", request))
		if dir == "." || dir == "/" || dir == "" {
			return out
		}
		dir = path.Dir(dir)
	}
}

// moduleCandidates are the files a resolved path may name, in the order tried.
func moduleCandidates(fsys fs.FS, p string) []string {
	out := []string{}
	if strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".ts") {
		out = append(out, p)
	}
	out = append(out, p+".js", p+".ts")
	if main := packageMain(fsys, p); main != "" {
		out = append(out, main, main+".js", main+".ts", main+"/index.js")
	}
	return append(out, p+"/index.js", p+"/index.ts")
}

// packageMain is the "main" file of a package folder's package.json, or "" (a main that
// climbs out of its folder is ignored).
func packageMain(fsys fs.FS, dir string) string {
	raw, err := fs.ReadFile(fsys, path.Join(dir, "package.json"))
	if err != nil || len(raw) > 1<<20 {
		return ""
	}
	var pkg struct {
		Main string `json:"main"`
	}
	if json.Unmarshal(raw, &pkg) != nil || pkg.Main == "" {
		return ""
	}
	m := path.Join(dir, pkg.Main)
	if m != dir && !strings.HasPrefix(m, dir+"/") {
		return ""
	}
	return m
}

// IsModuleFile reports whether p is a .js or .ts file in fsys.
func IsModuleFile(fsys fs.FS, p string) bool {
	if !strings.HasSuffix(p, ".js") && !strings.HasSuffix(p, ".ts") {
		return false
	}
	info, err := fs.Stat(fsys, p)
	return err == nil && info.Mode().IsRegular()
}

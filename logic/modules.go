package logic

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"

	"github.com/sandframe/sandframe/internal/jsguard"
	"github.com/sandframe/sandframe/internal/lru"
)

// The CommonJS wrapper. It stays on the first line so that line numbers in stacks and
// errors match the file; columns on line 1 are shifted by its length (corrected in
// load errors).
const (
	modulePrefix = "(function (exports, require, module, __filename, __dirname) {"
	moduleSuffix = "\n})"
)

// resolveModule maps require(request) from the file `from` to a file inside fsys.
// Only relative paths are allowed; they may name a file with or without ".js", or a
// directory holding index.js, and must not leave the mini-app.
func resolveModule(fsys fs.FS, from, request string) (string, error) {
	fail := func(why string) (string, error) {
		return "", fmt.Errorf("require('%s') from %s: %s", request, from, why)
	}
	if !strings.HasPrefix(request, "./") && !strings.HasPrefix(request, "../") {
		return fail("only relative paths inside the mini-app can be required")
	}
	joined := path.Join(path.Dir(from), request)
	if joined == ".." || strings.HasPrefix(joined, "../") || !fs.ValidPath(joined) {
		return fail("the path leaves the mini-app")
	}
	var tried []string
	for _, candidate := range []string{joined, joined + ".js", joined + "/index.js"} {
		if !strings.HasSuffix(candidate, ".js") {
			continue
		}
		tried = append(tried, candidate)
		if info, err := fs.Stat(fsys, candidate); err == nil && info.Mode().IsRegular() {
			return candidate, nil
		}
	}
	return fail("cannot find " + strings.Join(tried, " or "))
}

// compileModule reads and compiles a module file and returns its wrapper function.
// Errors are thrown to JS as Error("file:line:col: SyntaxError: ...").
func (r *Runtime) compileModule(file string) goja.Value {
	src, err := fs.ReadFile(r.opts.FS, file)
	if err != nil {
		panic(r.jsError("%s: cannot read: %v", file, err))
	}
	// goja's parser has no depth limit: a hostile file could overflow the Go stack and
	// take the whole shell down. Screen it first.
	if off, what := jsguard.Check(string(src)); off >= 0 {
		line, col := lineCol(src, off)
		panic(r.jsError("%s:%d:%d: %s: too deep to load safely", file, line, col, what))
	}
	prog, err := compileCached(file, src)
	if err != nil {
		panic(r.jsError("%s", describeCompileError(file, err)))
	}
	fn, err := r.vm.RunProgram(prog)
	if err != nil {
		panic(r.jsError("%s: %v", file, err))
	}
	return fn
}

func describeCompileError(file string, err error) string {
	var list parser.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		pos := list[0].Position
		return fmt.Sprintf("%s:%d:%d: SyntaxError: %s", file, pos.Line, firstLineColumn(pos.Line, pos.Column), list[0].Message)
	}
	var syn *goja.CompilerSyntaxError
	if errors.As(err, &syn) && syn.File != nil {
		pos := syn.File.Position(syn.Offset)
		return fmt.Sprintf("%s:%d:%d: SyntaxError: %s", file, pos.Line, firstLineColumn(pos.Line, pos.Column), syn.Message)
	}
	return fmt.Sprintf("%s: %v", file, err)
}

// describeLoadError turns an exception thrown while a file loads into
// "file:line:col: Error: message", naming the innermost mini-app frame.
func describeLoadError(err error) string {
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		return err.Error()
	}
	msg := ex.Value().String()
	if obj, ok := ex.Value().(*goja.Object); ok {
		// A compile error thrown by compileModule already starts with file:line:col.
		if m := obj.Get("message"); m != nil && strings.Contains(m.String(), ": SyntaxError: ") {
			return m.String()
		}
	}
	for _, f := range ex.Stack() {
		name := f.SrcName()
		pos := f.Position()
		if name == "" || name == "<native>" || pos.Line == 0 || strings.HasPrefix(name, "sandframe:") {
			continue
		}
		return fmt.Sprintf("%s:%d:%d: %s", name, pos.Line, firstLineColumn(pos.Line, pos.Column), msg)
	}
	return msg
}

// firstLineColumn undoes the shift the wrapper adds to columns on a module's line 1.
func firstLineColumn(line, col int) int {
	if line == 1 && col > len(modulePrefix) {
		return col - len(modulePrefix)
	}
	return col
}

// lineCol is the 1-based line and column (in characters) of byte offset off in src.
func lineCol(src []byte, off int) (int, int) {
	line, col := 1, 1
	for _, r := range string(src[:min(off, len(src))]) {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// programs caches compiled modules by file name and content digest: every runtime of
// the same app (windows, restarts, kiosk sessions) shares them. A goja.Program is
// immutable and safe to run in any number of runtimes.
var programs = lru.New[[sha256.Size]byte, *goja.Program](2048)

// ClearProgramCache empties the compiled-module cache (benchmarks measure cold starts).
func ClearProgramCache() { programs.Clear() }

// compileCached parses and compiles a module (separately: goja.Compile folds parse
// errors into a message without a usable position), or takes it from the cache.
func compileCached(file string, src []byte) (*goja.Program, error) {
	h := sha256.New()
	h.Write([]byte(file))
	h.Write([]byte{0})
	h.Write(src)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	if p, ok := programs.Get(key); ok {
		return p, nil
	}
	ast, err := parser.ParseFile(nil, file, modulePrefix+string(src)+moduleSuffix, 0)
	if err != nil {
		return nil, err
	}
	prog, err := goja.CompileAST(ast, false)
	if err != nil {
		return nil, err
	}
	programs.Put(key, prog)
	return prog, nil
}

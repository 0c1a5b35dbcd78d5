package logic

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
	"github.com/go-sourcemap/sourcemap"

	"github.com/sandframe/sandframe/internal/jsc"
	"github.com/sandframe/sandframe/internal/jsguard"
	"github.com/sandframe/sandframe/internal/lru"
	"github.com/sandframe/sandframe/internal/textenc"
)

// The CommonJS wrapper. It stays on the first line so that line numbers in stacks and
// errors match the file; columns on line 1 are shifted by its length (corrected in
// load errors).
const (
	modulePrefix = "(function (exports, require, module, __filename, __dirname) {"
	moduleSuffix = "\n})"
)

// resolveModule maps require(request) from the file `from` to a file inside fsys, the
// way WeChat resolves it (jsc.Resolve, which the linter shares).
func resolveModule(fsys fs.FS, from, request string) (string, error) {
	return jsc.Resolve(fsys, from, request)
}

// entryFile is the file of an app, page or component route: route.js, or route.ts.
func entryFile(fsys fs.FS, route string) string {
	if !jsc.IsModuleFile(fsys, route+".js") && jsc.IsModuleFile(fsys, route+".ts") {
		return route + ".ts"
	}
	return route + ".js"
}

// compileModule reads and compiles a module file and returns its wrapper function.
// Errors are thrown to JS as Error("file:line:col: SyntaxError: ...").
func (r *Runtime) compileModule(file string) goja.Value {
	src, err := fs.ReadFile(r.opts.FS, file)
	if err != nil {
		panic(r.jsError("%s: cannot read: %v", file, err))
	}
	src = textenc.Decode(src) // a GBK file (older projects); lint warns about it
	// goja's parser has no depth limit: a hostile file could overflow the Go stack and
	// take the whole shell down. Screen it first.
	if off, what := jsguard.Check(string(src)); off >= 0 {
		line, col := lineCol(src, off)
		panic(r.jsError("%s:%d:%d: %s: too deep to load safely", file, line, col, what))
	}
	c, err := compileCached(file, src, nil)
	if err != nil {
		panic(r.jsError("%s", describeCompileError(file, err)))
	}
	if c.mapped {
		if r.mapped == nil {
			r.mapped = map[string]bool{}
		}
		r.mapped[file] = true
	}
	fn, err := r.vm.RunProgram(c.prog)
	if err != nil {
		panic(r.jsError("%s: %v", file, err))
	}
	return fn
}

func describeCompileError(file string, err error) string {
	var jerr *jsc.Error
	if errors.As(err, &jerr) {
		return jerr.Error()
	}
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
func (r *Runtime) describeLoadError(err error) string {
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
		col := pos.Column
		if !r.mapped[name] {
			col = firstLineColumn(pos.Line, col)
		}
		return fmt.Sprintf("%s:%d:%d: %s", pos.Filename, pos.Line, col, msg)
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

// compiledModule is a module ready to run in any runtime.
type compiledModule struct {
	prog   *goja.Program
	mapped bool // compiled by jsc: positions go through its source map
}

// programs caches compiled modules by file name and content digest: every runtime of
// the same app (windows, restarts, kiosk sessions) shares them. A goja.Program is
// immutable and safe to run in any number of runtimes.
var programs = lru.New[[sha256.Size]byte, compiledModule](2048)

// ClearProgramCache empties the compiled-module cache (benchmarks measure cold starts).
func ClearProgramCache() { programs.Clear() }

// noSourceMapFiles keeps goja's parser from following a file's own
// "//# sourceMappingURL=" to the host's file system (its default loader reads any path):
// the only source maps are the ones jsc makes, attached below.
var noSourceMapFiles = parser.WithDisableSourceMaps

// compileCached compiles a module, or takes it from the cache. A .ts file, and a .js
// file that goja cannot parse as it is (ES module syntax, async generators), goes
// through jsc first; its positions then map back to the original through the source
// map. Parse and compile are separate: goja.Compile folds parse errors into a message
// without a usable position.
func compileCached(file string, src []byte, tc TransformCache) (compiledModule, error) {
	h := sha256.New()
	h.Write([]byte(jsc.Version))
	h.Write([]byte{0})
	h.Write([]byte(file))
	h.Write([]byte{0})
	h.Write(src)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	if c, ok := programs.Get(key); ok {
		return c, nil
	}
	var prog *goja.Program
	var err error
	mapped := jsc.IsTypeScript(file)
	if !mapped {
		prog, err = compileScript(file, src)
		var list parser.ErrorList
		var syn *goja.CompilerSyntaxError
		if errors.As(err, &list) || errors.As(err, &syn) {
			// Not a script goja reads: try it as a module / newer syntax. If that fails
			// too, the parser that got further says best what is wrong.
			mapped = true
		} else if err != nil {
			return compiledModule{}, err
		}
	}
	if mapped {
		gojaErr := err
		if prog, err = compileTransformed(file, src, tc); err != nil {
			if gojaErr != nil && !laterError(err, gojaErr) {
				return compiledModule{}, gojaErr
			}
			return compiledModule{}, err
		}
	}
	c := compiledModule{prog: prog, mapped: mapped}
	programs.Put(key, c)
	return c, nil
}

// compileScript parses and compiles src as it is.
func compileScript(file string, src []byte) (*goja.Program, error) {
	prog, err := parser.ParseFile(nil, file, modulePrefix+string(src)+moduleSuffix, 0, noSourceMapFiles)
	if err != nil {
		return nil, err
	}
	return goja.CompileAST(prog, false)
}

// laterError reports whether jsc's error a lies after goja's parse error b.
func laterError(a, b error) bool {
	var je *jsc.Error
	var list parser.ErrorList
	if !errors.As(a, &je) {
		return true
	}
	var line, col int
	var syn *goja.CompilerSyntaxError
	switch {
	case errors.As(b, &list) && len(list) > 0:
		line, col = list[0].Position.Line, list[0].Position.Column
	case errors.As(b, &syn) && syn.File != nil:
		pos := syn.File.Position(syn.Offset)
		line, col = pos.Line, pos.Column
	default:
		return true
	}
	col = firstLineColumn(line, col)
	return je.Line > line || (je.Line == line && je.Col > col)
}

// compileTransformed compiles src with jsc, then the result, wrapped with the CommonJS
// wrapper on a line of its own, with jsc's source map attached.
func compileTransformed(file string, src []byte, tc TransformCache) (*goja.Program, error) {
	out, err := transform(file, src, tc)
	if err != nil {
		return nil, err
	}
	prog, err := parser.ParseFile(nil, file, modulePrefix+"\n"+out.Code+moduleSuffix, 0, noSourceMapFiles)
	if err != nil {
		return nil, fmt.Errorf("compiled from ES module / TypeScript source: %w", err)
	}
	shifted, err := jsc.ForGoja(out.Map, 1)
	if err != nil {
		return nil, err
	}
	sm, err := sourcemap.Parse("", shifted)
	if err != nil {
		return nil, fmt.Errorf("%s: source map: %w", file, err)
	}
	prog.File.SetSourceMap(sm)
	return goja.CompileAST(prog, false)
}

// Precompile compiles the app's entry files (app, every page and component: routes
// without extension) into the shared module cache, and every module they import or
// require by a literal path, transitively, so that load and pack report an entry that
// does not compile, at its file, line and column, before anything runs, and a launch
// compiles nothing its code names statically. A module other than an entry that does
// not compile is left for its require to report: it may never be required.
func Precompile(fsys fs.FS, routes []string) error { return PrecompileCached(fsys, routes, nil) }

// PrecompileCached is Precompile whose ES module / TypeScript transforms go through tc
// (the disk level of the code cache; nil: none).
func PrecompileCached(fsys fs.FS, routes []string, tc TransformCache) error {
	seen := map[string]bool{}
	var queue []string
	for _, route := range routes {
		file := entryFile(fsys, route)
		src, err := compileFile(fsys, file, tc)
		if err != nil {
			return err
		}
		seen[file] = true
		queue = append(queue, jsc.Imports(file, src)...)
		for len(queue) > 0 && len(seen) < maxPrecompiled {
			from, req := queue[0], queue[1]
			queue = queue[2:]
			dep, err := jsc.Resolve(fsys, from, req)
			if err != nil || seen[dep] {
				continue
			}
			seen[dep] = true
			if src, err := compileFile(fsys, dep, tc); err == nil {
				queue = append(queue, jsc.Imports(dep, src)...)
			}
		}
	}
	return nil
}

// maxPrecompiled bounds the modules Precompile follows (the rest compile when required).
const maxPrecompiled = 4096

// compileFile reads, screens and compiles one module into the cache.
func compileFile(fsys fs.FS, file string, tc TransformCache) ([]byte, error) {
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	src = textenc.Decode(src) // a GBK file (older projects); lint warns about it
	if off, what := jsguard.Check(string(src)); off >= 0 {
		line, col := lineCol(src, off)
		return nil, fmt.Errorf("%s:%d:%d: %s: too deep to load safely", file, line, col, what)
	}
	if _, err := compileCached(file, src, tc); err != nil {
		return nil, errors.New(describeCompileError(file, err))
	}
	return src, nil
}

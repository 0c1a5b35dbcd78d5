package scaffold

//go:generate go run ./gen -o ../docs/sf.d.ts

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sandframe/sandframe/internal/hostapi"
	_ "github.com/sandframe/sandframe/internal/hostapi/all" // the whole registry
)

// tsTypes are the registry's argument types in TypeScript.
var tsTypes = map[hostapi.Type]string{
	hostapi.String: "string", hostapi.Number: "number", hostapi.Boolean: "boolean",
	hostapi.Object: "Record<string, any>", hostapi.Array: "any[]", hostapi.Any: "any",
}

// Own reports whether d is one of Sandframe's own additions: on sf under a path of its
// own (sf.share.publish), or a name WeChat's Wx interface does not have.
func Own(d hostapi.Decl) bool {
	return !d.Hidden && (d.Path != "" || !hostapi.IsWxMethod(d.Name))
}

// SfTypings is typings/sf.d.ts: a TypeScript declaration of `sf`, WeChat's `wx`
// (WechatMiniprogram.Wx, from miniprogram-api-typings) plus every API of the registry
// that WeChat does not have, with its argument fields, shape (async with
// success/fail/complete and a Promise, or Sync) and capability.
func SfTypings() string {
	var own []hostapi.Decl
	for _, d := range hostapi.All() {
		if Own(d) {
			own = append(own, d)
		}
	}
	sort.Slice(own, func(i, j int) bool { return jsPath(own[i]) < jsPath(own[j]) })

	var b strings.Builder
	b.WriteString(`// sf.d.ts — Sandframe's additions to wx, generated from the shell's host API registry
// (docs/apis.md) by ` + "`shell new`" + ` (and ` + "`go generate ./scaffold`" + `). Do not edit: generate it again.
// wx's own methods come from WeChat's typings (miniprogram-api-typings); sf is the same
// object as wx, with these on it as well.

declare namespace SF {
  interface GeneralCallbackResult {
    errMsg: string
  }
  interface AsyncOptions<R = GeneralCallbackResult> {
    success?: (res: R) => void
    fail?: (err: GeneralCallbackResult) => void
    complete?: (res: GeneralCallbackResult) => void
  }
  type Result = GeneralCallbackResult & Record<string, any>
`)
	groups := map[string][]hostapi.Decl{}
	var top []hostapi.Decl
	for _, d := range own {
		p := jsPath(d)
		if i := strings.LastIndex(p, "."); i > 0 {
			groups[p[:i]] = append(groups[p[:i]], d)
			continue
		}
		top = append(top, d)
	}
	for _, d := range own {
		if len(d.Params) > 0 || len(d.Args) == 0 && d.Arg == "" {
			continue
		}
		fmt.Fprintf(&b, "\n  interface %sOption extends AsyncOptions<Result> {\n", typeName(d))
		for _, f := range d.Args {
			opt := "?"
			if f.Required {
				opt = ""
			}
			fmt.Fprintf(&b, "    %s%s: %s\n", f.Name, opt, tsType(f.Type))
		}
		b.WriteString("  }\n")
	}
	var names []string
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		fmt.Fprintf(&b, "\n  /** sf.%s */\n  interface %s {\n", g, groupType(g))
		for _, d := range groups[g] {
			writeMethod(&b, d, jsPath(d)[len(g)+1:])
		}
		b.WriteString("  }\n")
	}
	b.WriteString("\n  /** What sf has that WeChat's wx does not. */\n  interface Own {\n")
	for _, d := range top {
		writeMethod(&b, d, d.Name)
	}
	for _, g := range names {
		if !strings.Contains(g, ".") {
			fmt.Fprintf(&b, "    %s: %s\n", g, groupType(g))
		}
	}
	b.WriteString("  }\n\n  /** sf: wx with Sandframe's own APIs (where a name is in both, sf's declaration). */\n")
	b.WriteString("  type Sf = Omit<WechatMiniprogram.Wx, keyof Own> & Own\n}\n\ndeclare const sf: SF.Sf\n")
	return b.String()
}

func jsPath(d hostapi.Decl) string {
	if d.Path != "" {
		return d.Path
	}
	return d.Name
}

func typeName(d hostapi.Decl) string {
	var b strings.Builder
	for _, part := range strings.Split(jsPath(d), ".") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func groupType(g string) string {
	var b strings.Builder
	for _, part := range strings.Split(g, ".") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String() + "API"
}

func tsType(t hostapi.Type) string {
	if s, ok := tsTypes[t]; ok {
		return s
	}
	return "any"
}

// writeMethod declares d as a method called name, with a comment naming its capability.
func writeMethod(b *strings.Builder, d hostapi.Decl, name string) {
	doc := "sf." + jsPath(d)
	if d.Capability != "" {
		doc += " — needs the capability " + d.Capability + " (declared in app.json)"
	}
	if !d.Implemented() {
		doc += " — planned: answers \"not supported on this platform\" for now"
	}
	fmt.Fprintf(b, "    /** %s */\n", doc)
	if len(d.Params) > 0 {
		types := map[string]string{}
		required := map[string]bool{}
		for _, f := range d.Args {
			types[f.Name] = tsType(f.Type)
			required[f.Name] = f.Required
		}
		var ps []string
		optionalFromHere := false
		for i, p := range d.Params {
			t := types[p]
			if t == "" {
				t = "any"
			}
			if !required[p] && (i == len(d.Params)-1 || optionalFromHere) {
				optionalFromHere = true
			}
			opt := ""
			if optionalFromHere || !required[p] && allOptionalAfter(d, i) {
				opt = "?"
			}
			ps = append(ps, fmt.Sprintf("%s%s: %s", p, opt, t))
		}
		ret := "Promise<SF.Result>"
		if d.Sync {
			ret = "any"
		}
		fmt.Fprintf(b, "    %s(%s): %s\n", name, strings.Join(ps, ", "), ret)
		return
	}
	opt := "option?: AsyncOptions<Result>"
	if len(d.Args) > 0 || d.Arg != "" {
		req := "?"
		for _, f := range d.Args {
			if f.Required {
				req = ""
			}
		}
		opt = "option" + req + ": " + typeName(d) + "Option"
		if d.Arg != "" {
			opt += " | string"
		}
	}
	if d.Sync {
		fmt.Fprintf(b, "    %s(%s): any\n", name, opt)
		return
	}
	fmt.Fprintf(b, "    %s(%s): Promise<Result>\n", name, opt)
}

// allOptionalAfter reports whether every parameter from i on is optional.
func allOptionalAfter(d hostapi.Decl, i int) bool {
	req := map[string]bool{}
	for _, f := range d.Args {
		req[f.Name] = f.Required
	}
	for _, p := range d.Params[i:] {
		if req[p] {
			return false
		}
	}
	return true
}

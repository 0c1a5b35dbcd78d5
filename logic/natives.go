package logic

import (
	"fmt"
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/dlclark/regexp2/v2"
	"github.com/dop251/goja"
)

// goja checks Interrupt only between JavaScript instructions, and several of its
// built-ins recurse in Go or loop over an array-like's length without returning to
// the VM. Left alone, an app can end the shell with a Go stack overflow (no recover
// catches it: JSON.parse("[".repeat(5e6))), an allocation the machine cannot give
// ("a".repeat(2**40)), or pin a core for as long as it likes
// (Array.prototype.indexOf.call({length: 2**53-1})). The natives guard replaces those
// built-ins, before any app code runs, with Go functions that bound them by nesting,
// size or length and throw a catchable RangeError (or the error the built-in would
// throw) instead; each guarded call also stops at once when the runtime is being
// stopped, so the watchdog's termination ends a long native. See docs/logic.md.
const (
	// MaxNativeNesting bounds the nesting of JSON text, of values JSON.stringify walks,
	// of guarded natives calling each other (String() of nested arrays), and flat's
	// depth. The JavaScript call stack (8192 frames) bounds JS recursion the same way.
	MaxNativeNesting = 4096
	// MaxStringLength bounds strings built by repeat, padStart, padEnd, concat and join.
	// V8's limit is 2^29-24 characters, but goja builds such a string in one call that
	// cannot be interrupted: at 2^28 one took 2.5-8 s (FuzzNatives), past a task's
	// budget; at 2^25 (64 MiB as UTF-16) about 1 s at most.
	MaxStringLength = 1 << 25
	// MaxArrayWork bounds the length an Array.prototype method walks in one call. A
	// guarded call cannot be interrupted while goja walks, so the bound is set by time:
	// at 2^25 a join over an array-like ran 15 s past its task's 2-second budget
	// (FuzzNatives, a hung worker in CI); at 2^22 the slowest walk takes about 2 s.
	MaxArrayWork = 1 << 22
	// MaxApplyArgs bounds the argument list apply, Reflect.apply and Reflect.construct
	// build from an array-like.
	MaxApplyArgs = 1 << 22
	// RegexpMatchTimeout ends one backtracking match (regexp2, the engine goja uses for
	// lookarounds and backreferences). It is just over the default task budget, so a
	// catastrophic pattern is first terminated by the watchdog ("cpu") and its goroutine
	// then comes back; with a longer configured budget the match returns "no match".
	RegexpMatchTimeout = DefaultTaskBudget + 500*time.Millisecond
)

// regexp2.DefaultMatchTimeout is read when goja compiles a pattern; it is set once,
// before any runtime exists (package init), so no compile races the write.
func init() { regexp2.DefaultMatchTimeout = RegexpMatchTimeout }

// natives is one runtime's guard. It lives on the loop goroutine like the runtime.
type natives struct {
	vm     *goja.Runtime
	halted *atomic.Bool
	depth  int // guarded natives running now, nested

	rangeError, syntaxError goja.Constructor
	parse, stringify        goja.Callable
	defaultCompare          goja.Value // compareStrings, made once
}

// install replaces the guarded built-ins of vm. halted is set when the runtime is
// being stopped.
func (n *natives) install(vm *goja.Runtime, halted *atomic.Bool) error {
	n.vm, n.halted = vm, halted
	var ok bool
	if n.rangeError, ok = goja.AssertConstructor(vm.Get("RangeError")); !ok {
		return fmt.Errorf("RangeError is not a constructor")
	}
	if n.syntaxError, ok = goja.AssertConstructor(vm.Get("SyntaxError")); !ok {
		return fmt.Errorf("SyntaxError is not a constructor")
	}
	n.defaultCompare = vm.ToValue(n.compareStrings)
	json := vm.Get("JSON").ToObject(vm)
	if n.parse, ok = goja.AssertFunction(json.Get("parse")); !ok {
		return fmt.Errorf("JSON.parse is not a function")
	}
	if n.stringify, ok = goja.AssertFunction(json.Get("stringify")); !ok {
		return fmt.Errorf("JSON.stringify is not a function")
	}
	if err := n.define(json, "parse", n.jsonParse, 2); err != nil {
		return err
	}
	if err := n.define(json, "stringify", n.jsonStringify, 3); err != nil {
		return err
	}
	if err := n.guardArrayProto(vm.Get("Array").ToObject(vm)); err != nil {
		return err
	}
	if err := n.guardStringProto(vm.Get("String").ToObject(vm).Get("prototype").ToObject(vm)); err != nil {
		return err
	}
	if err := n.guardBuffers(vm); err != nil {
		return err
	}
	return n.guardApply(vm)
}

// define puts fn on obj as a built-in method would be (writable, configurable, not
// enumerable), with the built-in's name and length.
func (n *natives) define(obj *goja.Object, name string, fn func(goja.FunctionCall) goja.Value, length int) error {
	f := n.vm.ToValue(fn).ToObject(n.vm)
	if err := f.DefineDataProperty("name", n.vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("guard %s: %w", name, err)
	}
	if err := f.DefineDataProperty("length", n.vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("guard %s: %w", name, err)
	}
	if err := obj.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return fmt.Errorf("guard %s: %w", name, err)
	}
	return nil
}

// check inspects a guarded call before the original runs: it throws to refuse it, and
// may return other arguments for the original (nil: the call's own).
type check func(goja.FunctionCall) []goja.Value

// wrap replaces obj[name] with a guarded call of the original: check (may be nil)
// runs first, inside the nesting count.
func (n *natives) wrap(obj *goja.Object, name string, check check) error {
	v := obj.Get(name)
	orig, ok := goja.AssertFunction(v)
	if !ok {
		return fmt.Errorf("guard %s: not a function", name)
	}
	length := int(v.ToObject(n.vm).Get("length").ToInteger())
	return n.define(obj, name, func(call goja.FunctionCall) goja.Value {
		n.enter()
		defer n.leave()
		args := call.Arguments
		if check != nil {
			if a := check(call); a != nil {
				args = a
			}
		}
		return n.call(orig, call.This, args...)
	}, length)
}

// enter counts one more guarded native on the stack; it throws when the runtime is
// being stopped or the nesting is too deep.
func (n *natives) enter() {
	n.poll()
	if n.depth >= MaxNativeNesting {
		panic(n.rangeErr("Maximum call stack size exceeded (built-ins nested deeper than %d)", MaxNativeNesting))
	}
	n.depth++
}

func (n *natives) leave() { n.depth-- }

// poll throws once Stop or Terminate was called: the interrupt goja checks between
// instructions, checked inside long natives too.
func (n *natives) poll() {
	if n.halted.Load() {
		panic(n.rangeErr("the mini-app is being stopped"))
	}
}

// call calls a JS function from a guarded native; its exception goes on up.
func (n *natives) call(fn goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := fn(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

func (n *natives) rangeErr(format string, args ...any) *goja.Object {
	return n.newErr(n.rangeError, fmt.Sprintf(format, args...))
}

func (n *natives) newErr(ctor goja.Constructor, msg string) *goja.Object {
	obj, err := ctor(nil, n.vm.ToValue(msg))
	if err != nil {
		return n.vm.NewTypeError(msg)
	}
	return obj
}

// lengthOf is ToLength(v.length) for an object, 0 for anything else (the built-in
// then does what it does with a primitive).
func lengthOf(v goja.Value) float64 {
	o, ok := v.(*goja.Object)
	if !ok {
		return 0
	}
	l := o.Get("length")
	if l == nil {
		return 0
	}
	f := l.ToFloat()
	if f != f || f <= 0 {
		return 0
	}
	return math.Min(math.Floor(f), 1<<53-1)
}

func isArray(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	return ok && o.ClassName() == "Array"
}

// ---- JSON ----------------------------------------------------------------------

// jsonParse checks the text's nesting with one linear scan before goja's decoder,
// which recurses once per level, sees it; a reviver is walked here, bounded the same.
func (n *natives) jsonParse(call goja.FunctionCall) goja.Value {
	n.enter()
	defer n.leave()
	text := call.Argument(0).ToString()
	if d := jsonDepth(text.String()); d > MaxNativeNesting {
		panic(n.newErr(n.syntaxError, fmt.Sprintf("JSON.parse: nesting deeper than %d levels", MaxNativeNesting)))
	}
	v := n.call(n.parse, goja.Undefined(), text)
	reviver, ok := goja.AssertFunction(call.Argument(1))
	if !ok {
		return v
	}
	root := n.vm.NewObject()
	if err := root.Set("", v); err != nil {
		panic(err)
	}
	return n.revive(reviver, root, "", 0)
}

// jsonDepth is the deepest nesting of [ and { outside strings in JSON text. It does
// not validate: the decoder does.
func jsonDepth(s string) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
			if depth > deepest {
				deepest = depth
			}
		case ']', '}':
			if depth > 0 { // invalid text: never let it hide nesting that follows
				depth--
			}
		}
	}
	return deepest
}

// revive is the spec's InternalizeJSONProperty with a nesting bound: a reviver may
// graft deeper values onto the holder while it is walked.
func (n *natives) revive(reviver goja.Callable, holder *goja.Object, key string, depth int) goja.Value {
	n.poll()
	if depth > MaxNativeNesting {
		panic(n.rangeErr("JSON.parse: reviver walked deeper than %d levels", MaxNativeNesting))
	}
	val := holder.Get(key)
	if val == nil {
		val = goja.Undefined()
	}
	if obj, ok := val.(*goja.Object); ok {
		var keys []string
		if isArray(obj) {
			l := lengthOf(obj)
			if l > MaxArrayWork {
				panic(n.rangeErr("JSON.parse: reviver: array of %g elements is too long", l))
			}
			keys = make([]string, int(l))
			for i := range keys {
				keys[i] = strconv.Itoa(i)
			}
		} else {
			keys = obj.Keys()
		}
		for _, k := range keys {
			nv := n.revive(reviver, obj, k, depth+1)
			if goja.IsUndefined(nv) {
				_ = obj.Delete(k) // the spec ignores failure here
			} else {
				_ = obj.DefineDataProperty(k, nv, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
			}
		}
	}
	return n.call(reviver, holder, n.vm.ToValue(key), val)
}

// jsonStringify runs goja's stringify with a replacer of ours, which sees every value
// before it is serialized together with its holder: so it knows the nesting (the
// chain of holders), stops at MaxNativeNesting, polls for Stop, and chains the app's
// own replacer. An array replacer (a property list) is applied by handing goja a
// copy of each object with only the listed keys.
func (n *natives) jsonStringify(call goja.FunctionCall) goja.Value {
	n.enter()
	defer n.leave()
	g := &stringifyGuard{n: n}
	switch r := call.Argument(1).(type) {
	case *goja.Object:
		if fn, ok := goja.AssertFunction(r); ok {
			g.user = fn
		} else if isArray(r) {
			g.list = n.propertyList(r)
		}
	}
	replacer := n.vm.ToValue(g.replace)
	return n.call(n.stringify, goja.Undefined(), call.Argument(0), replacer, call.Argument(2))
}

type stringifyGuard struct {
	n     *natives
	user  goja.Callable
	list  []string // nil: every own enumerable key
	chain []holderLink
}

// holderLink is one ancestor of the value being serialized: what goja holds (a
// filtered copy with a property list) and the app's object it stands for.
type holderLink struct{ held, orig *goja.Object }

func (g *stringifyGuard) replace(call goja.FunctionCall) goja.Value {
	n := g.n
	n.poll()
	holder, _ := call.This.(*goja.Object)
	// Values come depth first: unwind to the holder of this one.
	for len(g.chain) > 0 && g.chain[len(g.chain)-1].held != holder {
		g.chain = g.chain[:len(g.chain)-1]
	}
	if len(g.chain) == 0 {
		g.chain = append(g.chain, holderLink{held: holder, orig: holder}) // the root wrapper
	}
	key, value := call.Argument(0), call.Argument(1)
	if g.user != nil {
		value = n.call(g.user, holder, key, value)
	}
	obj, ok := value.(*goja.Object)
	if !ok {
		return value
	}
	if _, callable := goja.AssertFunction(obj); callable {
		return value // not serialized
	}
	switch obj.ClassName() {
	case "Number", "String", "Boolean", "BigInt":
		return value // serialized as its primitive
	}
	if len(g.chain) > MaxNativeNesting {
		panic(n.rangeErr("JSON.stringify: nesting deeper than %d levels", MaxNativeNesting))
	}
	if g.list == nil || isArray(obj) {
		g.chain = append(g.chain, holderLink{held: obj, orig: obj})
		return value
	}
	// goja sees copies, so its cycle check cannot: check here.
	for _, l := range g.chain {
		if l.orig == obj {
			panic(n.vm.NewTypeError("Converting circular structure to JSON"))
		}
	}
	copied := n.vm.NewObject()
	for _, k := range g.list {
		if v := obj.Get(k); v != nil {
			if err := copied.Set(k, v); err != nil {
				panic(err)
			}
		}
	}
	g.chain = append(g.chain, holderLink{held: copied, orig: obj})
	return copied
}

// propertyList is the spec's PropertyList from an array replacer: strings and
// numbers (boxed or not), first occurrence only.
func (n *natives) propertyList(r *goja.Object) []string {
	l := lengthOf(r)
	if l > MaxArrayWork {
		panic(n.rangeErr("JSON.stringify: replacer list of %g elements is too long", l))
	}
	seen := map[string]bool{}
	list := []string{}
	for i := 0; i < int(l); i++ {
		v := r.Get(strconv.Itoa(i))
		if v == nil {
			continue
		}
		var name string
		switch {
		case isPrimitiveNumberOrString(v):
			name = v.String()
		default:
			o, ok := v.(*goja.Object)
			if !ok || (o.ClassName() != "Number" && o.ClassName() != "String") {
				continue
			}
			name = v.String()
		}
		if !seen[name] {
			seen[name] = true
			list = append(list, name)
		}
	}
	return list
}

func isPrimitiveNumberOrString(v goja.Value) bool {
	_, obj := v.(*goja.Object)
	return !obj && (goja.IsNumber(v) || goja.IsString(v))
}

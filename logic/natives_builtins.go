package logic

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// Array.prototype methods that are O(1) or walk nothing of this's length.
var arrayProtoUnguarded = map[string]bool{
	"constructor": true, "length": true, "push": true, "pop": true, "at": true,
	"keys": true, "values": true, "entries": true,
}

// guardArrayProto bounds every Array.prototype method by the length it would walk
// (an array-like's length can be 2^53-1, a sparse array's 2^32-1, and goja walks it
// without checking Interrupt), nests them under MaxNativeNesting (String() of nested
// arrays recurses through join in Go), bounds join's result, and flat's depth.
func (n *natives) guardArrayProto(array *goja.Object) error {
	proto := array.Get("prototype").ToObject(n.vm)
	for _, name := range proto.GetOwnPropertyNames() {
		if arrayProtoUnguarded[name] {
			continue
		}
		if _, ok := goja.AssertFunction(proto.Get(name)); !ok {
			continue
		}
		var check check
		switch name {
		case "sort", "toSorted":
			check = n.checkSort(name)
		case "join":
			check = n.checkJoin
		case "concat":
			check = n.checkConcat
		case "flat":
			check = n.checkFlat
		default:
			check = n.checkArrayLength(name)
		}
		if err := n.wrap(proto, name, check); err != nil {
			return err
		}
	}
	// Array.from walks an array-like (one without an iterator) by its length, and a
	// string by its characters.
	if err := n.wrap(array, "from", func(call goja.FunctionCall) []goja.Value {
		if o, ok := call.Argument(0).(*goja.Object); ok {
			if it := o.GetSymbol(goja.SymIterator); it == nil || goja.IsUndefined(it) || goja.IsNull(it) {
				n.checkLength("Array.from", lengthOf(o), MaxArrayWork)
			}
		}
		n.checkLength("Array.from", stringLength(call.Argument(0)), MaxArrayWork)
		return nil
	}); err != nil {
		return err
	}
	// A string's keys are one per character, listed at once.
	object := n.vm.Get("Object").ToObject(n.vm)
	for _, name := range []string{"keys", "values", "entries", "getOwnPropertyNames"} {
		what := "Object." + name
		if err := n.wrap(object, name, func(call goja.FunctionCall) []goja.Value {
			n.checkLength(what, stringLength(call.Argument(0)), MaxArrayWork)
			return nil
		}); err != nil {
			return err
		}
	}
	return n.wrap(n.vm.Get("Reflect").ToObject(n.vm), "ownKeys", func(call goja.FunctionCall) []goja.Value {
		n.checkLength("Reflect.ownKeys", stringLength(call.Argument(0)), MaxArrayWork)
		return nil
	})
}

// stringLength is the length of a string or String object, 0 for anything else.
func stringLength(v goja.Value) float64 {
	if s, ok := v.(goja.String); ok {
		return float64(s.Length())
	}
	if o, ok := v.(*goja.Object); ok && o.ClassName() == "String" {
		return lengthOf(o)
	}
	return 0
}

// checkSort bounds the length, and gives a sort without a comparator the default
// comparison as a Go comparator that polls: goja's own default comparison never
// returns to the VM (sorting a million numbers ran 16 s past any interrupt).
func (n *natives) checkSort(name string) check {
	length := n.checkArrayLength(name)
	return func(call goja.FunctionCall) []goja.Value {
		length(call)
		if len(call.Arguments) == 0 || goja.IsUndefined(call.Arguments[0]) {
			return []goja.Value{n.defaultCompare}
		}
		return nil
	}
}

// compareStrings is the spec's default sort order: ToString of both, compared by
// UTF-16 code units. Undefined elements never reach it.
func (n *natives) compareStrings(call goja.FunctionCall) goja.Value {
	n.poll()
	return n.vm.ToValue(n.toString(call.Argument(0)).CompareTo(n.toString(call.Argument(1))))
}

func (n *natives) checkArrayLength(name string) check {
	what := "Array.prototype." + name
	return func(call goja.FunctionCall) []goja.Value {
		n.checkLength(what, lengthOf(call.This), MaxArrayWork)
		return nil
	}
}

func (n *natives) checkLength(what string, l, limit float64) {
	if l > limit {
		panic(n.rangeErr("%s: a length of %.0f is more than a mini-app's built-ins walk (%.0f)", what, l, limit))
	}
}

// checkConcat bounds the total length concat walks: spreadable arguments (arrays, or
// array-likes marked with Symbol.isConcatSpreadable) are walked by their length.
func (n *natives) checkConcat(call goja.FunctionCall) []goja.Value {
	total := lengthOf(call.This)
	for _, a := range call.Arguments {
		o, ok := a.(*goja.Object)
		if !ok {
			continue
		}
		if s := o.GetSymbol(goja.SymIsConcatSpreadable); isArray(o) || (s != nil && s.ToBoolean()) {
			total += lengthOf(o)
		}
	}
	n.checkLength("Array.prototype.concat", total, MaxArrayWork)
	return nil
}

// checkJoin refuses a join whose separators or string elements alone pass
// MaxStringLength (what V8 calls an invalid string length), before goja allocates it.
func (n *natives) checkJoin(call goja.FunctionCall) []goja.Value {
	l := lengthOf(call.This)
	n.checkLength("Array.prototype.join", l, MaxArrayWork)
	if l == 0 {
		return nil
	}
	sepLen := 1.0
	if sep := call.Argument(0); !goja.IsUndefined(sep) {
		if s, ok := sep.(goja.String); ok {
			sepLen = float64(s.Length())
		}
	}
	total := (l - 1) * sepLen
	if arr, ok := call.This.(*goja.Object); ok && isArray(arr) && total <= MaxStringLength {
		for i := 0; i < int(l); i++ {
			if s, ok := arr.Get(strconv.Itoa(i)).(goja.String); ok {
				total += float64(s.Length())
				if total > MaxStringLength {
					break
				}
			}
		}
	}
	if total > MaxStringLength {
		panic(n.rangeErr("Invalid string length: Array.prototype.join would build more than %d characters", MaxStringLength))
	}
	return nil
}

// checkFlat bounds flat's depth (Infinity is common: it walks as deep as the arrays go).
func (n *natives) checkFlat(call goja.FunctionCall) []goja.Value {
	n.checkLength("Array.prototype.flat", lengthOf(call.This), MaxArrayWork)
	if d := call.Argument(0); !goja.IsUndefined(d) && d.ToFloat() > MaxNativeNesting {
		return []goja.Value{n.vm.ToValue(MaxNativeNesting)}
	}
	return nil
}

// guardStringProto bounds the String.prototype methods whose result can be far
// longer than their input. The receiver and arguments are converted once, here, and
// the converted values are what the built-in gets, so a toString or valueOf runs once.
func (n *natives) guardStringProto(proto *goja.Object) error {
	if err := n.guardSplit(proto); err != nil {
		return err
	}
	for name, size := range map[string]func(s goja.String, args []goja.Value) float64{
		"repeat": func(s goja.String, args []goja.Value) float64 {
			count := args[0].ToFloat()
			if count != count || count < 0 || math.IsInf(count, 0) {
				return 0 // the built-in throws its own RangeError
			}
			return float64(s.Length()) * math.Floor(count)
		},
		"padStart": padSize,
		"padEnd":   padSize,
		"concat": func(s goja.String, args []goja.Value) float64 {
			total := float64(s.Length())
			for _, a := range args {
				total += float64(a.(goja.String).Length())
			}
			return total
		},
	} {
		if err := n.wrapString(proto, name, size); err != nil {
			return err
		}
	}
	return nil
}

// guardSplit bounds the pieces split makes (one per character with an empty or
// regexp separator) by MaxArrayWork. The receiver and a string separator are
// converted once, here.
func (n *natives) guardSplit(proto *goja.Object) error {
	v := proto.Get("split")
	orig, ok := goja.AssertFunction(v)
	if !ok {
		return fmt.Errorf("guard split: not a function")
	}
	return n.define(proto, "split", func(call goja.FunctionCall) goja.Value {
		n.enter()
		defer n.leave()
		if goja.IsUndefined(call.This) || goja.IsNull(call.This) {
			return n.call(orig, call.This, call.Arguments...)
		}
		sep, limit := call.Argument(0), call.Argument(1)
		var s goja.String
		var pieces float64
		if o, ok := sep.(*goja.Object); ok && o.GetSymbol(goja.SymSplit) != nil && !goja.IsUndefined(o.GetSymbol(goja.SymSplit)) {
			// A regexp (or a splitter of the app's) gets the receiver as it is.
			pieces = stringLength(call.This) + 1
			s = nil
		} else {
			s = n.toString(call.This)
			pieces = 1
			if !goja.IsUndefined(sep) {
				sepStr := n.toString(sep)
				sep = sepStr
				if sepStr.Length() == 0 {
					pieces = float64(s.Length())
				} else if float64(s.Length()) > MaxArrayWork {
					pieces = float64(strings.Count(s.String(), sepStr.String())) + 1
				}
			}
		}
		if !goja.IsUndefined(limit) {
			pieces = math.Min(pieces, float64(uint32(limit.ToInteger())))
		}
		if pieces > MaxArrayWork {
			panic(n.rangeErr("String.prototype.split: %.0f pieces are more than a mini-app's built-ins make (%d)", pieces, MaxArrayWork))
		}
		this := call.This
		if s != nil {
			this = s
		}
		return n.call(orig, this, sep, limit)
	}, 2)
}

func padSize(s goja.String, args []goja.Value) float64 {
	l := args[0].ToFloat()
	if l != l {
		return 0
	}
	return math.Max(l, float64(s.Length()))
}

// wrapString replaces proto[name] with a call of the original on ToString(this) and
// converted arguments, refused when size (the result's length) passes MaxStringLength.
func (n *natives) wrapString(proto *goja.Object, name string, size func(goja.String, []goja.Value) float64) error {
	v := proto.Get(name)
	orig, ok := goja.AssertFunction(v)
	if !ok {
		return nil
	}
	length := int(v.ToObject(n.vm).Get("length").ToInteger())
	return n.define(proto, name, func(call goja.FunctionCall) goja.Value {
		n.enter()
		defer n.leave()
		if goja.IsUndefined(call.This) || goja.IsNull(call.This) {
			return n.call(orig, call.This, call.Arguments...) // its TypeError
		}
		s := n.toString(call.This)
		args := append([]goja.Value(nil), call.Arguments...)
		if name != "concat" && len(args) == 0 {
			args = []goja.Value{goja.Undefined()}
		}
		for i, a := range args {
			switch {
			case name == "concat" || (i == 1 && !goja.IsUndefined(a)):
				args[i] = n.toString(a) // concat's parts, padStart's filler
			case i == 0 && name != "concat" && !goja.IsUndefined(a):
				args[i] = n.vm.ToValue(a.ToFloat())
			}
		}
		if size(s, args) > MaxStringLength {
			panic(n.rangeErr("Invalid string length: String.prototype.%s would build more than %d characters", name, MaxStringLength))
		}
		return n.call(orig, s, args...)
	}, length)
}

// guardApply bounds the argument lists built from array-likes: goja allocates one of
// the array-like's length before reading it.
func (n *natives) guardApply(vm *goja.Runtime) error {
	fnProto := vm.Get("Function").ToObject(vm).Get("prototype").ToObject(vm)
	if err := n.wrap(fnProto, "apply", func(call goja.FunctionCall) []goja.Value {
		n.checkLength("Function.prototype.apply", lengthOf(call.Argument(1)), MaxApplyArgs)
		return nil
	}); err != nil {
		return err
	}
	reflect := vm.Get("Reflect").ToObject(vm)
	for _, name := range []string{"apply", "construct"} {
		argIdx := map[string]int{"apply": 2, "construct": 1}[name]
		what := "Reflect." + name
		if err := n.wrap(reflect, name, func(call goja.FunctionCall) []goja.Value {
			n.checkLength(what, lengthOf(call.Argument(argIdx)), MaxApplyArgs)
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// toString is ToString(v) as a goja.String (goja's ToString keeps numbers as they are).
func (n *natives) toString(v goja.Value) goja.String {
	p := v.ToString()
	if s, ok := p.(goja.String); ok {
		return s
	}
	return n.vm.ToValue(p.String()).(goja.String)
}

// MaxBufferBytes bounds one ArrayBuffer or typed array allocation: goja allocates it at
// once, and an allocation the machine cannot give is a fatal error of the Go runtime
// (new ArrayBuffer(2 ** 40) ended the shell), not an exception. 256 MiB is the default
// heap budget of an app.
const MaxBufferBytes = 1 << 28

// guardBuffers replaces the ArrayBuffer and typed array constructors with Go
// constructors that check the size first, then construct with the original (new.target
// passed on, so subclasses work). The originals stay reachable only as the wrappers'
// prototypes, for their static methods; instances, prototypes and instanceof are the
// originals'.
func (n *natives) guardBuffers(vm *goja.Runtime) error {
	global := vm.GlobalObject()
	if err := n.guardTypedSort(global.Get("Uint8Array").ToObject(vm)); err != nil {
		return err
	}
	for _, name := range []string{"ArrayBuffer", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array",
		"Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"} {
		origV := global.Get(name)
		if origV == nil || goja.IsUndefined(origV) {
			continue
		}
		orig := origV.ToObject(vm)
		construct, ok := goja.AssertConstructor(orig)
		if !ok {
			return fmt.Errorf("guard %s: not a constructor", name)
		}
		elem := 1.0
		if bpe := orig.Get("BYTES_PER_ELEMENT"); bpe != nil && !goja.IsUndefined(bpe) {
			elem = bpe.ToFloat()
		}
		isBuffer := name == "ArrayBuffer"
		what := name
		var wrapper *goja.Object
		wrapper = vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
			n.enter()
			defer n.leave()
			n.checkBuffer(what, isBuffer, elem, call.Arguments)
			newTarget := call.NewTarget // nil for a plain `new` of a Go constructor
			if newTarget == nil {
				newTarget = wrapper
			}
			obj, err := construct(newTarget, call.Arguments...)
			if err != nil {
				panic(err)
			}
			return obj
		}).ToObject(vm)
		proto := orig.Get("prototype").ToObject(vm)
		for _, p := range []struct {
			key   string
			value goja.Value
		}{{"name", vm.ToValue(name)}, {"length", orig.Get("length")}, {"prototype", proto}} {
			if err := wrapper.DefineDataProperty(p.key, p.value, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
				return fmt.Errorf("guard %s.%s: %w", name, p.key, err)
			}
		}
		if err := wrapper.SetPrototype(orig); err != nil { // static methods and constants
			return fmt.Errorf("guard %s: %w", name, err)
		}
		if err := proto.DefineDataProperty("constructor", wrapper, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return fmt.Errorf("guard %s: %w", name, err)
		}
		if err := global.DefineDataProperty(name, wrapper, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return fmt.Errorf("guard %s: %w", name, err)
		}
	}
	return nil
}

// guardTypedSort gives %TypedArray%.prototype.sort and toSorted without a comparator
// the numeric default order as a Go comparator that polls: goja sorts a typed array in
// Go, and a 256 MiB one takes minutes.
func (n *natives) guardTypedSort(uint8Array *goja.Object) error {
	typedProto := uint8Array.Get("prototype").ToObject(n.vm).Prototype()
	if typedProto == nil {
		return fmt.Errorf("guard typed array sort: no %%TypedArray%%.prototype")
	}
	compare := n.vm.ToValue(n.compareNumbers)
	for _, name := range []string{"sort", "toSorted"} {
		if _, ok := goja.AssertFunction(typedProto.Get(name)); !ok {
			continue
		}
		if err := n.wrap(typedProto, name, func(call goja.FunctionCall) []goja.Value {
			if len(call.Arguments) > 0 && !goja.IsUndefined(call.Arguments[0]) {
				return nil
			}
			return []goja.Value{compare}
		}); err != nil {
			return err
		}
	}
	return nil
}

// compareNumbers is a typed array's default order: numeric, -0 before +0, NaN last;
// BigInts exactly.
func (n *natives) compareNumbers(call goja.FunctionCall) goja.Value {
	n.poll()
	a, b := call.Argument(0), call.Argument(1)
	if goja.IsBigInt(a) && goja.IsBigInt(b) {
		x, _ := a.Export().(*big.Int)
		y, _ := b.Export().(*big.Int)
		if x != nil && y != nil {
			return n.vm.ToValue(x.Cmp(y))
		}
	}
	x, y := a.ToFloat(), b.ToFloat()
	r := 0
	switch {
	case x != x && y != y:
	case x != x:
		r = 1
	case y != y:
		r = -1
	case x < y:
		r = -1
	case x > y:
		r = 1
	case x == 0 && y == 0 && math.Signbit(x) != math.Signbit(y):
		if math.Signbit(x) {
			r = -1
		} else {
			r = 1
		}
	}
	return n.vm.ToValue(r)
}

// checkBuffer refuses a construction that would allocate more than MaxBufferBytes:
// a length (or byte length), an array-like's length, or a resizable buffer's maximum.
func (n *natives) checkBuffer(what string, isBuffer bool, elem float64, args []goja.Value) {
	if len(args) == 0 {
		return
	}
	var bytes float64
	switch a := args[0].(type) {
	case *goja.Object:
		if isBuffer || a.ClassName() == "ArrayBuffer" {
			break // a view of an existing buffer allocates nothing
		}
		bytes = lengthOf(a) * elem
	default:
		if !goja.IsUndefined(a) {
			bytes = a.ToFloat() * elem
		}
	}
	if isBuffer && len(args) > 1 {
		if o, ok := args[1].(*goja.Object); ok {
			if m := o.Get("maxByteLength"); m != nil && !goja.IsUndefined(m) {
				bytes = math.Max(bytes, m.ToFloat())
			}
		}
	}
	if bytes > MaxBufferBytes {
		panic(n.rangeErr("Array buffer allocation failed: %s of %.0f bytes is more than a mini-app may allocate at once (%d)", what, bytes, MaxBufferBytes))
	}
}

package logic

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// guardedVM is a bare goja runtime with the natives guard, as New sets one up.
func guardedVM(t testing.TB) (*goja.Runtime, *atomic.Bool) {
	t.Helper()
	vm := goja.New()
	vm.SetMaxCallStackSize(8192)
	halted := new(atomic.Bool)
	var n natives
	if err := n.install(vm, halted); err != nil {
		t.Fatal(err)
	}
	return vm, halted
}

// runBounded runs code and fails the test if it has not returned within limit (the
// VM is interrupted then; a native that ignores that still hangs the test binary,
// which is the failure this guards against).
func runBounded(t testing.TB, vm *goja.Runtime, code string, limit time.Duration) string {
	t.Helper()
	timer := time.AfterFunc(limit, func() { vm.Interrupt("test: took too long") })
	defer timer.Stop()
	v, err := vm.RunString(code)
	if err != nil {
		t.Fatalf("%s: %v", code, err)
	}
	return v.String()
}

// catching wraps an expression so that the script returns "ok: <value>" or
// "<ErrorName>: <message>".
func catching(expr string) string {
	return `(function () { try { var v = (function () { ` + expr + ` })(); return 'ok: ' + String(v).slice(0, 60); } catch (e) { return (e && e.name) + ': ' + (e && e.message); } })()`
}

// TestHostileNatives: each shape that used to end the shell (Go stack overflow,
// impossible allocation) or pin a core inside a native ends quickly with a catchable
// error, and the runtime keeps answering afterwards.
func TestHostileNatives(t *testing.T) {
	const overflow = "(JS stack overflow)"
	const deep = `var d = []; for (var i = 0; i < 5000; i++) d = [d];` // past MaxNativeNesting
	const deepObj = `var o = {}; for (var i = 0; i < 5000; i++) o = {a: o};`
	tests := []struct{ name, code, want string }{
		{"JSON.parse of nested arrays", `return JSON.parse('['.repeat(5e6))`, "SyntaxError: JSON.parse: nesting deeper than 4096"},
		{"JSON.parse of nested objects", `return JSON.parse('{"a":'.repeat(1e5) + '1' + '}'.repeat(1e5))`, "SyntaxError: JSON.parse: nesting deeper"},
		{"JSON.parse brackets in strings are not nesting", `return JSON.parse(JSON.stringify('['.repeat(1e5))).length`, "ok: 100000"},
		{"JSON.parse reviver grafting depth", `var deepest = {}; var cur = deepest; for (var i = 0; i < 5000; i++) { cur.a = {}; cur = cur.a; }
			return JSON.parse('{"a":1,"b":2}', function (k, v) { if (k === 'a') this.b = deepest; return v; })`, "RangeError: JSON.parse: reviver walked deeper"},
		{"JSON.stringify of nested objects", deepObj + `return JSON.stringify(o)`, "RangeError: JSON.stringify: nesting deeper than 4096"},
		{"JSON.stringify of nested arrays", deep + `return JSON.stringify(d)`, "RangeError: JSON.stringify: nesting deeper"},
		{"JSON.stringify of endless getters", `function mk() { return { get a() { return mk(); } }; } return JSON.stringify(mk())`, "RangeError: JSON.stringify: nesting deeper"},
		{"JSON.stringify of endless toJSON", `function mk() { return { toJSON() { return {a: mk()}; } }; } return JSON.stringify(mk())`, "RangeError: JSON.stringify: nesting deeper"},
		{"JSON.stringify with a replacer that deepens", `return JSON.stringify({}, function (k, v) { return k === '' || k === 'a' ? {a: 1} : v; })`, "RangeError: JSON.stringify: nesting deeper"},
		{"JSON.stringify with a property list", deepObj + `return JSON.stringify(o, ['a'])`, "RangeError: JSON.stringify: nesting deeper"},
		{"JSON.stringify cycle with a property list", `var c = {a: 1}; c.a = {a: c}; return JSON.stringify(c, ['a'])`, "TypeError: Converting circular structure to JSON"},
		{"JSON.stringify cycle", `var c = {}; c.c = c; return JSON.stringify(c)`, "TypeError: Converting circular structure to JSON"},
		{"String() of nested arrays", deep + `return String(d)`, "RangeError: Maximum call stack size exceeded (built-ins nested"},
		{"join of nested arrays", deep + `return d.join('-')`, "RangeError: Maximum call stack size exceeded"},
		{"toLocaleString of nested arrays", deep + `return d.toLocaleString()`, "RangeError: Maximum call stack size exceeded"},
		{"template literal of nested arrays", deep + "return `${d}`", "RangeError: Maximum call stack size exceeded"},
		{"indexOf on a huge array-like", `return Array.prototype.indexOf.call({length: 2 ** 53 - 1}, 1)`, "RangeError: Array.prototype.indexOf: a length of 9007199254740991"},
		{"includes on a huge sparse array", `var a = []; a.length = 2 ** 32 - 1; return a.includes(1)`, "RangeError: Array.prototype.includes: a length"},
		{"forEach with a native callback", `return Array.prototype.forEach.call({length: 2 ** 40}, Math.abs)`, "RangeError: Array.prototype.forEach: a length"},
		{"sort of a huge array-like", `return Array.prototype.sort.call({length: 2 ** 32 - 1})`, "RangeError: Array.prototype.sort: a length"},
		{"toReversed of a huge array-like", `return Array.prototype.toReversed.call({length: 2 ** 32 - 1})`, "RangeError: Array.prototype.toReversed: a length"},
		{"join of a huge sparse array", `return Array(2 ** 32 - 1).join('ab')`, "RangeError: Array.prototype.join: a length"},
		{"join building too long a string", `var s = 'x'.repeat(1 << 10).repeat(1 << 10); return Array(300).fill(s).join('')`, "RangeError: Invalid string length"},
		{"concat of a huge spreadable array-like", `var o = {length: 2 ** 40}; o[Symbol.isConcatSpreadable] = true; return [].concat(o)`, "RangeError: Array.prototype.concat: a length"},
		{"split into characters", `return 'a'.repeat(1 << 12).repeat(1 << 12).split('')`, "RangeError: String.prototype.split: 16777216 pieces"},
		{"split by a regexp", `return 'a'.repeat(1 << 12).repeat(1 << 12).split(/(?:)/)`, "RangeError: String.prototype.split"},
		{"Array.from a long string", `return Array.from('a'.repeat(1 << 12).repeat(1 << 12))`, "RangeError: Array.from: a length"},
		{"Object.keys of a long string", `return Object.keys('a'.repeat(1 << 12).repeat(1 << 12))`, "RangeError: Object.keys: a length"},
		{"Reflect.ownKeys of a long String", `return Reflect.ownKeys(new String('a'.repeat(1 << 12).repeat(1 << 12)))`, "RangeError: Reflect.ownKeys: a length"},
		{"Array.from a huge array-like", `return Array.from({length: 2 ** 32})`, "RangeError: Array.from: a length"},
		{"flat(Infinity) of nested arrays", deep + `return d.flat(Infinity).length`, "ok: 1"}, // stops at MaxNativeNesting levels,
		{"repeat", `return 'a'.repeat(2 ** 40)`, "RangeError: Invalid string length: String.prototype.repeat"},
		{"repeat on an object", `return String.prototype.repeat.call({toString() { return 'ab'; }}, 2 ** 33)`, "RangeError: Invalid string length"},
		{"padStart", `return 'a'.padStart(2 ** 40, 'xy')`, "RangeError: Invalid string length: String.prototype.padStart"},
		{"padEnd", `return 'a'.padEnd(2 ** 31)`, "RangeError: Invalid string length: String.prototype.padEnd"},
		{"concat", `var s = 'x'.repeat(1 << 12).repeat(1 << 12); return s.concat(s, s)`, "RangeError: Invalid string length: String.prototype.concat"},
		{"apply with a huge array-like", `return Math.max.apply(null, {length: 2 ** 32 - 1})`, "RangeError: Function.prototype.apply: a length"},
		{"Reflect.apply with a huge array-like", `return Reflect.apply(Math.max, null, {length: 2 ** 32 - 1})`, "RangeError: Reflect.apply: a length"},
		{"Reflect.construct with a huge array-like", `return Reflect.construct(Array, {length: 2 ** 32 - 1})`, "RangeError: Reflect.construct: a length"},
		{"ArrayBuffer", `return new ArrayBuffer(2 ** 40)`, "RangeError: Array buffer allocation failed: ArrayBuffer"},
		{"resizable ArrayBuffer", `return new ArrayBuffer(8, {maxByteLength: 2 ** 40})`, "RangeError: Array buffer allocation failed"},
		{"Float64Array", `return new Float64Array(2 ** 38)`, "RangeError: Array buffer allocation failed: Float64Array"},
		{"typed array from an array-like", `return new Uint8Array({length: 2 ** 40})`, "RangeError: Array buffer allocation failed: Uint8Array"},
		{"JS recursion", `function f() { return f() + 1; } return f()`, overflow},
		{"recursion through apply", `function f() { return f.apply(null, []) } return f()`, overflow},
		{"recursion through a getter in stringify", `var o = { get x() { return JSON.stringify(o); } }; return JSON.stringify(o)`, overflow},
		{"proxy trap re-entering a native", `var p = new Proxy([], { get(t, k) { return k === 'length' ? 1 : k === '0' ? p : Reflect.get(t, k); } }); return String(p)`, "ok: "}, // goja's join skips a cycle
		{"getter re-entering join", `var a = [0]; Object.defineProperty(a, 0, { get() { return a.join(); } }); return a.join()`, overflow},
	}
	vm, _ := guardedVM(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == overflow {
				// goja's call-stack limit ends the task with an uncatchable error.
				_, err := vm.RunString(catching(tt.code))
				var so *goja.StackOverflowError
				if !errors.As(err, &so) {
					t.Fatalf("err = %v, want a *goja.StackOverflowError", err)
				}
			} else {
				got := runBounded(t, vm, catching(tt.code), 20*time.Second)
				if !strings.HasPrefix(got, tt.want) {
					t.Errorf("got %q, want prefix %q", got, tt.want)
				}
			}
			if got := runBounded(t, vm, `JSON.stringify(JSON.parse('{"still":[1,2]}'))`, time.Second); got != `{"still":[1,2]}` {
				t.Errorf("runtime afterwards: %q", got)
			}
		})
	}
}

// TestGuardedNativesBehaveLikeGoja: the guarded built-ins give what goja's own do for
// ordinary inputs, replacers, spacing, toJSON, boxed values and odd strings.
func TestGuardedNativesBehaveLikeGoja(t *testing.T) {
	plain := goja.New()
	vm, _ := guardedVM(t)
	for _, expr := range []string{
		`JSON.stringify({a: [1, 'two', null, true, {b: undefined, c: function () {}}], d: new Date(0), e: NaN, f: -0, g: 1e21})`,
		`JSON.stringify([undefined, function () {}, Symbol('s')])`,
		`JSON.stringify({a: 1, b: {c: 2, d: [3, {e: 4}]}}, null, 2)`,
		`JSON.stringify({a: 1, b: {c: 2}}, null, '--')`,
		`JSON.stringify({a: 1, b: 2, c: {a: 3, b: 4, z: 5}, z: [ {a: 6, q: 7} ]}, ['b', 'a', 'b', 1, new String('z')])`,
		`JSON.stringify({a: 1, b: [1, 2], c: 'x'}, function (k, v) { return typeof v === 'number' ? v * 10 : v; })`,
		`JSON.stringify({a: 1, b: 2}, function (k, v) { return k === 'a' ? undefined : v; })`,
		`JSON.stringify({x: {toJSON: function (k) { return 'key ' + k; }}, y: [ {toJSON: function (k) { return k; }} ]})`,
		`JSON.stringify([new Number(3), new String('s'), new Boolean(false), Object(1n) instanceof Object])`,
		`JSON.stringify('\ud800 lone, \u2028, "quoted", \\ and \u0001 ' + '\ud83d\ude00')`,
		`JSON.stringify(undefined) === undefined`,
		`JSON.stringify(function () {}) === undefined`,
		`(function () { try { JSON.stringify({a: 1n}); } catch (e) { return e.name; } })()`,
		`(function () { var o = {}; o.self = [o]; try { JSON.stringify(o); } catch (e) { return e.name + ': ' + e.message; } })()`,
		`JSON.stringify(JSON.parse('{"a":[1,{"b":"c"}],"d":null}', function (k, v) { return typeof v === 'number' ? v + 1 : v; }))`,
		`JSON.stringify(JSON.parse('[1,2,3]', function (k, v) { return k === '1' ? undefined : v; }))`,
		`JSON.stringify(JSON.parse(' { "a" : "[{\\"" } '))`,
		`(function () { try { JSON.parse('{"a":'); } catch (e) { return e.name; } })()`,
		`[1, [2, [3, [4]]], 'x'].join(';') + String([1, [2, 3]]) + [1.5, 2].toLocaleString()`,
		`[1, [2, [3, [4, [5]]]]].flat(Infinity).join() + [[1], [2]].flatMap(function (x) { return x; })`,
		`'ab'.repeat(3) + 'x'.padStart(4, 'ab') + 'x'.padEnd(3) + '|' + 'a'.concat(1, null, [2, 3]) + 'a'.repeat(0)`,
		`Math.max.apply(null, [1, 5, 3]) + Reflect.apply(Math.min, null, [4, 2]) + Reflect.construct(Array, [3]).length`,
		`[3, 1, 2].sort().indexOf(2) + [1, 2, 3].includes(2) + Array.from('abc').join() + Array.from({length: 2}, function (v, i) { return i; }).join()`,
		`JSON.parse.name + JSON.parse.length + JSON.stringify.length + [].join.name + 'a'.padStart.length + Function.prototype.apply.length`,
		`[10, 9, 1, undefined, 'b', , 'a', null, true].sort().join('|') + [3, 1, 2].toSorted().join() + ['\uff61', '\ud83d\ude00', 'z'].sort().join() + Array.prototype.sort.call({0: 'b', 1: 'a', length: 2})[0]`,
		`[1].concat([2, [3]], 4, {length: 1, 0: 5}).length + '|' + (function () { var o = {length: 2, 0: 'x', 1: 'y'}; o[Symbol.isConcatSpreadable] = true; return [0].concat(o).join(); })()`,
		`'a,b,,c'.split(',').join('|') + 'abc'.split('').length + 'a1b2c'.split(/\d/).join() + 'abc'.split().length + 'a,b,c'.split(',', 2).join() + String.prototype.split.call(123, 2).join() + 'x'.split({toString: function () { return 'x'; }}).length + 'axbxc'.split('x', 0).length`,
		`Object.keys('abc').join() + Object.values({a: 1, b: 2}).join() + JSON.stringify(Object.entries({a: 1})) + Object.getOwnPropertyNames('ab').join() + Reflect.ownKeys({x: 1}).join() + Array.from('héllo').length`,
		`[new Float64Array([3, -0, NaN, 0, -Infinity, 1.5, NaN, -2]).sort().join(), Object.is(new Float64Array([0, -0]).sort()[0], -0), new Int32Array([5, -1, 3]).toSorted().join(), new Uint8Array([3, 1, 2]).sort(function (a, b) { return b - a; }).join(), new BigInt64Array([3n, -1n, 2n]).sort().join(), new Uint8Array([2, 1]).sort(undefined).join()].join('|')`,
		`[5, 1, 4].sort(undefined).join() + [5, 1, 4].sort(function (a, b) { return b - a; }).join()`,
		`(function () { try { String.prototype.repeat.call(null, 2); } catch (e) { return e.name; } })()`,
		`(function () { try { 'a'.repeat(-1); } catch (e) { return e.name; } })()`,
		`var b = new ArrayBuffer(8); var u = new Uint8Array(b, 2, 3); u[0] = 7; [b.byteLength, u.length, new Uint8Array(b)[2], u instanceof Uint8Array, u.constructor === Uint8Array, Object.getPrototypeOf(u) === Uint8Array.prototype, ArrayBuffer.isView(u), Uint8Array.BYTES_PER_ELEMENT, Float64Array.from([1, 2]).join(), Int16Array.of(3).length, Uint8Array.name, Uint8Array.length].join()`,
		`class Bytes extends Uint8Array { sum() { return this.reduce(function (a, b) { return a + b; }, 0); } } var x = new Bytes([1, 2, 3]); [x.sum(), x instanceof Bytes, x instanceof Uint8Array, new Float32Array([1.5]).toString(), new Uint8Array(new ArrayBuffer(4)).length].join()`,
		`(function () { try { new ArrayBuffer(-1); } catch (e) { return e.name; } })()`,
	} {
		want, err := plain.RunString(expr)
		if err != nil {
			t.Fatalf("goja: %s: %v", expr, err)
		}
		got, err := vm.RunString(expr)
		if err != nil {
			t.Fatalf("guarded: %s: %v", expr, err)
		}
		if got.String() != want.String() {
			t.Errorf("%s\n  guarded %q\n  goja    %q", expr, got, want)
		}
	}
}

// TestHaltedNativesStop: once the runtime is being stopped, a long guarded native
// (exponential join, a big stringify, a default sort) throws at its next step instead
// of running on.
func TestHaltedNativesStop(t *testing.T) {
	vm, halted := guardedVM(t)
	time.AfterFunc(100*time.Millisecond, func() { halted.Store(true) })
	start := time.Now()
	_, err := vm.RunString(`var a = [1]; for (var i = 0; i < 40; i++) a = [a, a]; String(a)`)
	if err == nil || !strings.Contains(err.Error(), "the mini-app is being stopped") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s after the halt", d)
	}
	for _, code := range []string{
		`var b = [1]; for (var i = 0; i < 40; i++) b = [b, b]; JSON.stringify(b)`,
		`var c = Array(5e5).fill(0).map(Math.random); c.sort()`, // the default comparison polls
		`var f = new Float64Array(1 << 21).map(Math.random); f.sort()`,
	} {
		_, err = vm.RunString(code)
		if err == nil || !strings.Contains(err.Error(), "the mini-app is being stopped") {
			t.Fatalf("%s: err = %v", code, err)
		}
	}
}

func TestJSONDepth(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{``, 0}, {`1`, 0}, {`[]`, 1}, {`[[{}]]`, 3}, {`{"a":[1,{"b":[]}]}`, 4},
		{`"[[["`, 0}, {`["\"[["]`, 1}, {`["\\", [[]]]`, 3}, {`]]][[`, 2},
	} {
		if got := jsonDepth(tt.in); got != tt.want {
			t.Errorf("jsonDepth(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

package logic

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// nativeShapes are programs over `input` (the fuzzer's string) and `depth`, each
// feeding a guarded built-in something deep, long or odd.
var nativeShapes = []string{
	`JSON.parse('['.repeat(depth) + input + ']'.repeat(depth))`,
	`JSON.parse(input)`,
	`JSON.parse(input, function (k, v) { if (k === '0') this.x = JSON.parse('['.repeat(depth % 5000) + ']'.repeat(depth % 5000)); return v; })`,
	`var o = input; for (var i = 0; i < depth; i++) o = (i & 1) ? [o] : {k: o}; JSON.stringify(o, null, input.length % 11)`,
	`var o = input; for (var i = 0; i < depth; i++) o = {a: o, b: i}; JSON.stringify(o, ['a', input])`,
	`var d = [input]; for (var i = 0; i < depth; i++) d = [d]; String(d) + d.toLocaleString() + d.join(input)`,
	`var d = [input]; for (var i = 0; i < depth; i++) d = [d, i]; d.flat(depth).length + d.flat(Infinity).length`,
	`input.repeat(depth * depth * depth) + input.padStart(depth * 4096 * depth, input) + input.padEnd(depth, input)`,
	`Array.prototype.join.call({length: depth * 1e6 * input.length}, input)`,
	`Array.prototype.lastIndexOf.call({length: 2 ** (depth % 60)}, input)`,
	`Math.max.apply(null, {length: depth * depth * 16})`,
	`var a = [input]; for (var i = 0; i < (depth % 16); i++) a = [a, a]; a.join(',').length`,
	`new RegExp('^(' + input.replace(/[^a-z]/g, '') + '+)+(?=b)').test('a'.repeat(depth % 20) + '!')`,
}

// FuzzNatives: whatever the input, a guarded built-in returns a value or throws an
// error the runtime can handle; it never crashes the process or runs on unbounded.
// Run with -fuzztime 20000x (bounded by executions).
func FuzzNatives(f *testing.F) {
	for i := range nativeShapes {
		f.Add(uint8(i), uint16(10), `[1,{"a":"b"},null]`)
		f.Add(uint8(i), uint16(60000), `"`)
		f.Add(uint8(i), uint16(3000), `{"\\":[[[]]]}`)
		f.Add(uint8(i), uint16(0), "")
	}
	f.Fuzz(func(t *testing.T, shape uint8, depth uint16, input string) {
		code := nativeShapes[int(shape)%len(nativeShapes)]
		vm, halted := guardedVM(t)
		_ = vm.Set("input", input)
		_ = vm.Set("depth", int(depth)%20000)
		// As the watchdog would: a task past its budget is halted and interrupted. What
		// must never happen is that it then runs on (the fuzzer's own timeout).
		timer := time.AfterFunc(5*time.Second, func() {
			halted.Store(true)
			vm.Interrupt("budget")
		})
		defer timer.Stop()
		_, err := vm.RunString(code)
		var ex *goja.Exception
		var so *goja.StackOverflowError
		var in *goja.InterruptedError
		switch {
		case err == nil, errors.As(err, &ex), errors.As(err, &so), errors.As(err, &in):
		default:
			t.Fatalf("%s: unexpected error %T: %v", code, err, err)
		}
	})
}

// BenchmarkGuardedJSON measures what the natives guard costs JSON.parse and
// JSON.stringify on an ordinary 10 KB document, and four calls of small-array methods
// (guarded against goja's own).
func BenchmarkGuardedJSON(b *testing.B) {
	setup := `var doc = {items: []}; for (var i = 0; i < 100; i++) doc.items.push({id: i, title: 'item ' + i, done: i % 2 === 0, tags: ['a', 'b'], meta: {n: i * 1.5}});
var text = JSON.stringify(doc);`
	for _, guarded := range []bool{false, true} {
		var vm *goja.Runtime
		if guarded {
			vm, _ = guardedVM(b)
		} else {
			vm = goja.New()
		}
		if _, err := vm.RunString(setup); err != nil {
			b.Fatal(err)
		}
		for _, op := range []struct{ name, code string }{
			{"parse", `JSON.parse(text)`},
			{"stringify", `JSON.stringify(doc)`},
			{"array-methods", `var small = [3, 1, 2]; small.indexOf(2) + small.slice(1).length + small.map(function (x) { return x; }).length + small.join().length`},
		} {
			prog := goja.MustCompile("bench", op.code, true)
			b.Run(fmt.Sprintf("%s/guarded=%v", op.name, guarded), func(b *testing.B) {
				for b.Loop() {
					if _, err := vm.RunProgram(prog); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

package logic

import (
	"strconv"
	"unicode/utf8"
)

// batch collects the render ops of one loop turn. Data ops are coalesced per target:
// the first setData of a target fixes where its op sits among mount/show/unmount, and a
// path written twice keeps only its last value, moved to the end so that writes to
// overlapping paths ("a.b" then "a" then "a.b") still apply in the order they were made.
type batch struct {
	ops    []batchOp
	dataAt map[string]int // target → index of its data op in ops
	// canvasBytes is the size of the canvas ops in ops (canvas.go bounds it).
	canvasBytes int
}

type batchOp struct {
	op     string // mount, show, unmount, data
	page   string
	route  string
	pages  []string
	data   string // mount: the page's initial data as JSON
	target string
	diff   *diffOp
	// pageScroll (mount): the page defines onPageScroll.
	pageScroll bool
	canvas     string // canvas: the JSON of a bridge.CanvasDraw
	// media: the element or audio context id, the command and its arguments (JSON)
	id, cmd, args string
}

type diffOp struct {
	entries []diffEntry
	at      map[string]int // path → index in entries
}

type diffEntry struct {
	path, json string
	dead       bool
}

func (b *batch) empty() bool { return len(b.ops) == 0 }

func (b *batch) mount(page, route, data string) {
	b.ops = append(b.ops, batchOp{op: "mount", page: page, route: route, data: data})
}

// show brings page to the front; live is every live page after the navigation
// (bridge.Stack.Live), for the page to check its own against.
func (b *batch) show(page string, live []string) {
	b.ops = append(b.ops, batchOp{op: "show", page: page, pages: live})
}

// media records a media context's command for this turn, in order with the other ops.
func (b *batch) media(target, id, cmd, args string) {
	b.ops = append(b.ops, batchOp{op: "media", target: target, id: id, cmd: cmd, args: args})
}

func (b *batch) unmount(pages []string) {
	b.ops = append(b.ops, batchOp{op: "unmount", pages: pages})
}

// set records target's path = json (a JSON text) for this turn.
func (b *batch) set(target, path, json string) {
	if b.dataAt == nil {
		b.dataAt = make(map[string]int)
	}
	i, ok := b.dataAt[target]
	if !ok {
		i = len(b.ops)
		b.dataAt[target] = i
		b.ops = append(b.ops, batchOp{op: "data", target: target, diff: &diffOp{at: make(map[string]int)}})
	}
	d := b.ops[i].diff
	if j, ok := d.at[path]; ok {
		d.entries[j].dead = true
	}
	d.at[path] = len(d.entries)
	d.entries = append(d.entries, diffEntry{path: path, json: json})
}

func (b *batch) reset() {
	b.ops = b.ops[:0]
	clear(b.dataAt)
	b.canvasBytes = 0
}

// encode writes the batch as the JSON of bridge.Render{Seq: seq, Ops: ...}, by hand: the
// diff values are already JSON text from JSON.stringify, and re-marshalling them through
// encoding/json would validate and copy every byte of a large list again.
func (b *batch) encode(seq uint64, sizeHint int) []byte {
	out := make([]byte, 0, max(sizeHint, 64))
	out = append(out, `{"seq":`...)
	out = strconv.AppendUint(out, seq, 10)
	out = append(out, `,"ops":[`...)
	for i, op := range b.ops {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, `{"op":`...)
		out = appendJSONString(out, op.op)
		if op.page != "" {
			out = append(out, `,"page":`...)
			out = appendJSONString(out, op.page)
		}
		if op.route != "" {
			out = append(out, `,"route":`...)
			out = appendJSONString(out, op.route)
		}
		if len(op.pages) > 0 {
			out = append(out, `,"pages":[`...)
			for j, p := range op.pages {
				if j > 0 {
					out = append(out, ',')
				}
				out = appendJSONString(out, p)
			}
			out = append(out, ']')
		}
		if op.target != "" {
			out = append(out, `,"target":`...)
			out = appendJSONString(out, op.target)
		}
		if op.id != "" {
			out = append(out, `,"id":`...)
			out = appendJSONString(out, op.id)
		}
		if op.cmd != "" {
			out = append(out, `,"cmd":`...)
			out = appendJSONString(out, op.cmd)
		}
		if op.args != "" {
			out = append(out, `,"args":`...)
			out = append(out, op.args...)
		}
		if op.data != "" {
			out = append(out, `,"data":`...)
			out = append(out, op.data...)
		}
		if op.pageScroll {
			out = append(out, `,"pageScroll":true`...)
		}
		if op.canvas != "" {
			out = append(out, `,"canvas":`...)
			out = append(out, op.canvas...)
		}
		if op.diff != nil {
			out = append(out, `,"diff":{`...)
			first := true
			for _, e := range op.diff.entries {
				if e.dead {
					continue
				}
				if !first {
					out = append(out, ',')
				}
				first = false
				out = appendJSONString(out, e.path)
				out = append(out, ':')
				out = append(out, e.json...)
			}
			out = append(out, '}')
		}
		out = append(out, '}')
	}
	out = append(out, "]}"...)
	return out
}

const hexDigits = "0123456789abcdef"

// jsonStringLen is len(appendJSONString(nil, s)) without building it.
func jsonStringLen(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
				n += 2
			case c < 0x20:
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			n += 6
		} else {
			n += size
		}
		i += size
	}
	return n
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as
// encoding/json does.
func appendJSONString(out []byte, s string) []byte {
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			out = append(out, s[start:i]...)
			switch c {
			case '"', '\\':
				out = append(out, '\\', c)
			case '\n':
				out = append(out, '\\', 'n')
			case '\r':
				out = append(out, '\\', 'r')
			case '\t':
				out = append(out, '\\', 't')
			default:
				out = append(out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			out = append(out, s[start:i]...)
			out = append(out, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}

package wxml

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"
)

// The JSON form is written by hand: fields come in a fixed, readable order, a literal
// keeps "v" even when it is false, 0 or null, and a whole node tree is encoded in one
// pass instead of once per nesting level.

// MarshalJSON encodes the node as described in docs/template.md.
func (n *Node) MarshalJSON() ([]byte, error) {
	var e encoder
	e.node(n)
	return e.b, e.err
}

// MarshalJSON encodes the expression as described in docs/template.md.
func (x *Expr) MarshalJSON() ([]byte, error) {
	var e encoder
	e.expr(x)
	return e.b, e.err
}

// MarshalJSON encodes the value: a string, true, {"x": EXPR} or {"cat": [...]}.
func (v Value) MarshalJSON() ([]byte, error) {
	var e encoder
	e.value(v)
	return e.b, e.err
}

type encoder struct {
	b   []byte
	err error
}

// obj writes the fields of one JSON object; field starts each one.
type obj struct {
	e *encoder
	n int
}

func (e *encoder) open() *obj { e.b = append(e.b, '{'); return &obj{e: e} }
func (o *obj) close()         { o.e.b = append(o.e.b, '}') }

func (o *obj) field(name string) *encoder {
	if o.n > 0 {
		o.e.b = append(o.e.b, ',')
	}
	o.n++
	o.e.str(name)
	o.e.b = append(o.e.b, ':')
	return o.e
}

func (e *encoder) node(n *Node) {
	if n == nil {
		e.b = append(e.b, "null"...)
		return
	}
	o := e.open()
	o.field("t").str(n.T)
	o.field("ln").int(n.Ln)
	o.field("col").int(n.Col)
	if n.F != "" {
		o.field("f").str(n.F)
	}
	switch n.T {
	case NodeText:
		if n.V != nil {
			o.field("v").value(*n.V)
		}
	case NodeEl:
		o.field("tag").str(n.Tag)
		e.values(o, "attrs", n.Attrs)
		e.values(o, "data", n.Data)
		e.values(o, "marks", n.Marks)
		if len(n.Events) > 0 {
			o.field("events")
			e.b = append(e.b, '[')
			for i, ev := range n.Events {
				if i > 0 {
					e.b = append(e.b, ',')
				}
				eo := e.open()
				eo.field("type").str(ev.Type)
				eo.field("handler").str(ev.Handler)
				if ev.HV != nil {
					eo.field("hv").value(*ev.HV)
				}
				eo.field("catch").bool(ev.Catch)
				eo.field("capture").bool(ev.Capture)
				eo.field("mut").bool(ev.Mut)
				eo.close()
			}
			e.b = append(e.b, ']')
		}
		if n.Slot != nil {
			o.field("slot").value(*n.Slot)
		}
		if len(n.Model) > 0 {
			o.field("model")
			names := make([]string, 0, len(n.Model))
			for k := range n.Model {
				names = append(names, k)
			}
			sort.Strings(names)
			mo := e.open()
			for _, k := range names {
				mo.field(k).str(n.Model[k])
			}
			mo.close()
		}
	case NodeIf:
		o.field("branches")
		e.b = append(e.b, '[')
		for i, br := range n.Branches {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			bo := e.open()
			bo.field("cond").expr(br.Cond)
			if len(br.Children) > 0 {
				bo.field("children").nodes(br.Children)
			}
			bo.close()
		}
		e.b = append(e.b, ']')
	case NodeFor:
		o.field("list").expr(n.List)
		o.field("item").str(n.Item)
		o.field("index").str(n.Index)
		if n.Key != "" {
			o.field("key").str(n.Key)
		}
	case NodeTpl:
		if n.Is != nil {
			o.field("is").value(*n.Is)
		}
		o.field("data").expr(n.Args)
		o.field("scope").str(n.Scope)
	case NodeSlot:
		o.field("name").str(n.Name)
		if n.NameV != nil {
			o.field("nv").value(*n.NameV)
		}
	}
	if len(n.Children) > 0 {
		o.field("children").nodes(n.Children)
	}
	o.close()
}

func (e *encoder) nodes(ns []*Node) {
	e.b = append(e.b, '[')
	for i, n := range ns {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.node(n)
	}
	e.b = append(e.b, ']')
}

// values writes a map of values with sorted keys, or nothing when it is empty.
func (e *encoder) values(o *obj, name string, m map[string]Value) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	o.field(name)
	mo := e.open()
	for _, k := range keys {
		mo.field(k).value(m[k])
	}
	mo.close()
}

func (e *encoder) value(v Value) {
	switch {
	case v.Flag:
		e.b = append(e.b, "true"...)
	case v.X != nil:
		o := e.open()
		o.field("x").expr(v.X)
		o.close()
	case v.Cat != nil:
		o := e.open()
		o.field("cat")
		e.b = append(e.b, '[')
		for i, p := range v.Cat {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			if p.X != nil {
				e.expr(p.X)
			} else {
				e.str(p.Str)
			}
		}
		e.b = append(e.b, ']')
		o.close()
	default:
		e.str(v.Str)
	}
}

func (e *encoder) expr(x *Expr) {
	if x == nil {
		e.b = append(e.b, "null"...)
		return
	}
	o := e.open()
	o.field("k").str(x.K)
	switch x.K {
	case ExprLit:
		o.field("v").lit(x.V)
	case ExprID:
		o.field("n").str(x.N)
	case ExprWxs:
		o.field("m").str(x.M)
	case ExprCall:
		o.field("f").expr(x.O)
		o.field("args")
		e.b = append(e.b, '[')
		for i, it := range x.Items {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.expr(it)
		}
		e.b = append(e.b, ']')
	case ExprMem:
		o.field("o").expr(x.O)
		o.field("p").expr(x.P)
	case ExprUn, ExprSpread:
		if x.K == ExprUn {
			o.field("op").str(x.Op)
		}
		o.field("a").expr(x.A)
	case ExprBin:
		o.field("op").str(x.Op)
		o.field("a").expr(x.A)
		o.field("b").expr(x.B)
	case ExprCond:
		o.field("c").expr(x.C)
		o.field("a").expr(x.A)
		o.field("b").expr(x.B)
	case ExprArr:
		o.field("items")
		e.b = append(e.b, '[')
		for i, it := range x.Items {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.expr(it)
		}
		e.b = append(e.b, ']')
	case ExprObj:
		o.field("props")
		e.b = append(e.b, '[')
		for i, p := range x.Props {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			po := e.open()
			if p.Spread != nil {
				po.field("spread").expr(p.Spread)
			} else {
				po.field("key").str(p.Key)
				po.field("v").expr(p.V)
			}
			po.close()
		}
		e.b = append(e.b, ']')
	}
	o.close()
}

func (e *encoder) lit(v any) {
	switch v := v.(type) {
	case nil:
		e.b = append(e.b, "null"...)
	case bool:
		e.bool(v)
	case string:
		e.str(v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			e.err = fmt.Errorf("wxml: literal %v has no JSON form", v)
			e.b = append(e.b, "null"...)
			return
		}
		e.b = appendNumber(e.b, v)
	default:
		e.err = fmt.Errorf("wxml: literal of type %T has no JSON form", v)
		e.b = append(e.b, "null"...)
	}
}

// appendNumber formats like encoding/json (and JavaScript): no exponent between
// 1e-6 and 1e21.
func appendNumber(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07 → e-7
		b = b[:n-1]
	}
	return b
}

func (e *encoder) int(i int)   { e.b = strconv.AppendInt(e.b, int64(i), 10) }
func (e *encoder) bool(v bool) { e.b = strconv.AppendBool(e.b, v) }

// str writes a JSON string. Unlike encoding/json it leaves <, > and & alone, so golden
// files stay readable; it escapes U+2028/U+2029 and replaces invalid UTF-8.
func (e *encoder) str(s string) {
	const hex = "0123456789abcdef"
	e.b = append(e.b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				e.b = append(e.b, '\\', c)
			case c == '\n':
				e.b = append(e.b, '\\', 'n')
			case c == '\t':
				e.b = append(e.b, '\\', 't')
			case c == '\r':
				e.b = append(e.b, '\\', 'r')
			case c < 0x20:
				e.b = append(e.b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				e.b = append(e.b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			e.b = append(e.b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			e.b = append(e.b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			e.b = append(e.b, s[i:i+size]...)
		}
		i += size
	}
	e.b = append(e.b, '"')
}

// Decoding, so that a compiled template can be stored and read back.

type exprJSON struct {
	K     string          `json:"k"`
	V     json.RawMessage `json:"v"`
	N     string          `json:"n"`
	M     string          `json:"m"`
	F     *Expr           `json:"f"`
	Args  []*Expr         `json:"args"`
	Op    string          `json:"op"`
	A     *Expr           `json:"a"`
	B     *Expr           `json:"b"`
	C     *Expr           `json:"c"`
	O     *Expr           `json:"o"`
	P     *Expr           `json:"p"`
	Items []*Expr         `json:"items"`
	Props []struct {
		Key    string `json:"key"`
		V      *Expr  `json:"v"`
		Spread *Expr  `json:"spread"`
	} `json:"props"`
}

// UnmarshalJSON decodes the form MarshalJSON writes.
func (x *Expr) UnmarshalJSON(b []byte) error {
	var j exprJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*x = Expr{K: j.K, N: j.N, M: j.M, Op: j.Op, A: j.A, B: j.B, C: j.C, O: j.O, P: j.P, Items: j.Items}
	if j.K == ExprCall {
		x.O, x.Items = j.F, j.Args
		if x.Items == nil {
			x.Items = []*Expr{}
		}
	}
	if j.K == ExprLit && len(j.V) > 0 {
		if err := json.Unmarshal(j.V, &x.V); err != nil {
			return err
		}
	}
	if j.K == ExprArr && x.Items == nil {
		x.Items = []*Expr{}
	}
	if j.K == ExprObj {
		x.Props = make([]Prop, len(j.Props))
		for i, p := range j.Props {
			x.Props[i] = Prop{Key: p.Key, V: p.V, Spread: p.Spread}
		}
	}
	return nil
}

// UnmarshalJSON decodes a string, true, {"x": EXPR} or {"cat": [...]}.
func (v *Value) UnmarshalJSON(b []byte) error {
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	switch r := raw.(type) {
	case string:
		*v = Value{Str: r}
		return nil
	case bool:
		*v = Value{Flag: r}
		return nil
	}
	var j struct {
		X   *Expr             `json:"x"`
		Cat []json.RawMessage `json:"cat"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*v = Value{X: j.X}
	if j.Cat != nil {
		v.Cat = make([]Part, len(j.Cat))
		for i, raw := range j.Cat {
			if len(raw) > 0 && raw[0] == '"' {
				if err := json.Unmarshal(raw, &v.Cat[i].Str); err != nil {
					return err
				}
				continue
			}
			v.Cat[i].X = new(Expr)
			if err := json.Unmarshal(raw, v.Cat[i].X); err != nil {
				return err
			}
		}
	}
	return nil
}

type nodeJSON struct {
	T        string            `json:"t"`
	Ln       int               `json:"ln"`
	Col      int               `json:"col"`
	F        string            `json:"f"`
	V        *Value            `json:"v"`
	Tag      string            `json:"tag"`
	Attrs    map[string]Value  `json:"attrs"`
	Data     json.RawMessage   `json:"data"` // el: dataset; tpl: EXPR
	Marks    map[string]Value  `json:"marks"`
	Events   []Event           `json:"events"`
	Slot     *Value            `json:"slot"`
	Model    map[string]string `json:"model"`
	Children []*Node           `json:"children"`
	Branches []Branch          `json:"branches"`
	List     *Expr             `json:"list"`
	Item     string            `json:"item"`
	Index    string            `json:"index"`
	Key      string            `json:"key"`
	Is       *Value            `json:"is"`
	Scope    string            `json:"scope"`
	Name     string            `json:"name"`
	NameV    *Value            `json:"nv"`
}

// UnmarshalJSON decodes the form MarshalJSON writes.
func (n *Node) UnmarshalJSON(b []byte) error {
	var j nodeJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*n = Node{T: j.T, Ln: j.Ln, Col: j.Col, F: j.F, V: j.V, Tag: j.Tag, Attrs: j.Attrs,
		Marks: j.Marks, Events: j.Events, Slot: j.Slot, Model: j.Model, Children: j.Children, Branches: j.Branches,
		List: j.List, Item: j.Item, Index: j.Index, Key: j.Key, Is: j.Is, Scope: j.Scope, Name: j.Name, NameV: j.NameV}
	if len(j.Data) == 0 {
		return nil
	}
	if j.T == NodeTpl {
		return json.Unmarshal(j.Data, &n.Args)
	}
	return json.Unmarshal(j.Data, &n.Data)
}

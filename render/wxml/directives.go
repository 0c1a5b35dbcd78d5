package wxml

import (
	"strings"
)

// directives are the wx: attributes of one element.
type directives struct {
	list             *Expr // wx:for, nil when absent
	item, index, key string
	role             chainRole
	cond             *Expr // wx:if / wx:elif condition
	roleOff          int   // where the wx:if / wx:elif / wx:else attribute starts
	forIf            bool  // wx:for and wx:if were on the same element
}

func (fc *fileCompiler) directives(r *rawNode) directives {
	d := directives{item: "item", index: "index"}
	var loop, key, item, index *rawAttr
	// A repeated directive counts once, the last one, as in WeChat's compiler; the
	// warning is here because every kind of element (<block>, <template>) passes here
	// (uniqueAttrs leaves wx: names to it).
	last := make(map[string]int, len(r.attrs))
	for i, a := range r.attrs {
		last[a.name] = i
	}
	for i := range r.attrs {
		a := &r.attrs[i]
		if !strings.HasPrefix(a.name, "wx:") {
			continue
		}
		if last[a.name] != i {
			fc.warn(a.off, "duplicate attribute %s: the last one is used", a.name)
			continue
		}
		switch a.name {
		case "wx:for", "wx:for-items": // wx:for-items is the old name
			loop = a
		case "wx:for-item":
			item = a
		case "wx:for-index":
			index = a
		case "wx:key":
			key = a
		case "wx:if", "wx:elif", "wx:else":
			role := map[string]chainRole{"wx:if": roleIf, "wx:elif": roleElif, "wx:else": roleElse}[a.name]
			if d.role != roleNone {
				fc.s.fail(a.off, "%s cannot be combined with another wx:if, wx:elif or wx:else on one element", a.name)
			}
			d.role, d.roleOff = role, a.off
			if role != roleElse {
				d.cond = fc.condition(*a)
			}
		default:
			fc.warn(a.off, "unknown attribute %s is ignored", a.name)
		}
	}
	if loop == nil {
		for _, a := range []*rawAttr{item, index, key} {
			if a != nil {
				fc.warn(a.off, "%s without wx:for is ignored", a.name)
			}
		}
		return d
	}
	d.list = fc.loopList(*loop)
	if item != nil {
		d.item = fc.loopName(*item)
	}
	if index != nil {
		d.index = fc.loopName(*index)
	}
	if key != nil {
		d.key = fc.loopKey(*key, d.item)
	}
	return d
}

// condition reads the expression of wx:if or wx:elif.
func (fc *fileCompiler) condition(a rawAttr) *Expr {
	if !a.hasValue {
		fc.s.fail(a.off, "%s needs a condition, e.g. %s=\"{{ok}}\"", a.name, a.name)
	}
	v := value(fc.s, a.vstart, a.vend)
	switch {
	case v.X != nil:
		return v.X
	case v.Cat != nil:
		// WeChat joins the pieces into a string; with text around the mustache it is
		// never empty, so the condition always holds.
		fc.warn(a.vstart, "%s with text around {{…}} is a non-empty string and always true; write %s=\"{{…}}\" with the whole condition inside", a.name, a.name)
		var text strings.Builder
		for _, p := range v.Cat {
			text.WriteString(p.Str)
		}
		if text.Len() > 0 {
			return &Expr{K: ExprLit, V: text.String()}
		}
		return concat(v.Cat)
	case v.Str != "":
		fc.warn(a.vstart, "%s=%q is a non-empty string and always true; write %s=\"{{…}}\" for an expression", a.name, v.Str, a.name)
	}
	return &Expr{K: ExprLit, V: v.Str}
}

// loopList reads wx:for: one {{expression}}, or plain text whose characters are the
// items, as in WeChat.
func (fc *fileCompiler) loopList(a rawAttr) *Expr {
	if !a.hasValue {
		fc.s.fail(a.off, "%s needs a list, e.g. %s=\"{{items}}\"", a.name, a.name)
	}
	v := value(fc.s, a.vstart, a.vend)
	switch {
	case v.X != nil:
		return v.X
	case v.Cat != nil:
		// A mixed value is a string in WeChat too; the loop runs over its characters.
		fc.warn(a.vstart, "%s with text around {{…}} is a string: the loop runs over its characters", a.name)
		return concat(v.Cat)
	}
	return &Expr{K: ExprLit, V: v.Str}
}

// loopName reads wx:for-item / wx:for-index: a plain name.
func (fc *fileCompiler) loopName(a rawAttr) string {
	name := ""
	if a.hasValue {
		name = strings.TrimSpace(fc.s.text[a.vstart:a.vend])
	}
	if !isIdent(name) {
		fc.s.fail(a.off, "%s must be a plain name like \"item\", not %q", a.name, name)
	}
	return name
}

// loopKey reads wx:key: a property name of the item or *this. WeChat also accepts
// {{…}} with a warning; the common forms map to what they mean.
func (fc *fileCompiler) loopKey(a rawAttr, item string) string {
	if !a.hasValue {
		fc.s.fail(a.off, "wx:key needs a property name or *this")
	}
	var v Value
	if err := func() (err error) {
		defer recoverBailout(&err)
		v = value(fc.s, a.vstart, a.vend)
		return nil
	}(); err != nil {
		// WeChat only warns about a wx:key it cannot use; so do we.
		fc.warn(a.off, "wx:key is not a property name, *this or an expression we can read (%s); items are keyed by position", err)
		return ""
	}
	if v.Static() {
		return strings.TrimSpace(v.Str)
	}
	key, means := "", "items are keyed by position"
	if x := v.X; x != nil {
		switch {
		case x.K == ExprID && x.N == item:
			key, means = "*this", `treated as wx:key="*this"`
		case x.K == ExprMem && x.O.K == ExprID && x.O.N == item && x.P.K == ExprLit:
			if p, ok := x.P.V.(string); ok {
				key, means = p, `treated as wx:key="`+p+`"`
			}
		}
	}
	fc.warn(a.off, "wx:key should be a property name of the item or *this, not {{…}}; %s", means)
	return key
}

// concat joins the pieces of a mixed value into one expression that yields the same
// string: "" + a + "x" + b.
func concat(parts []Part) *Expr {
	e := &Expr{K: ExprLit, V: ""}
	for _, p := range parts {
		x := p.X
		if x == nil {
			x = &Expr{K: ExprLit, V: p.Str}
		}
		e = &Expr{K: ExprBin, Op: "+", A: e, B: x}
	}
	return e
}

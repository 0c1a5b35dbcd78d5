// Package wxml compiles WXML templates (the WeChat mini-program markup) into the JSON
// template that Sandframe's render runtime interprets. The runtime never sees WXML text
// and never evaluates JavaScript: expressions become small trees (Expr) that it walks,
// and so does WXS, parsed here with goja's parser (wxs.go).
// The output format is the contract in docs/template.md; decisions are in docs/wxml.md.
package wxml

// Template is one compiled page or component template with everything it imports and
// includes. Its JSON form is described in docs/template.md.
type Template struct {
	File     string                       `json:"file"`
	Root     []*Node                      `json:"root"`
	Defs     map[string][]*Node           `json:"defs"`     // "FILE#NAME" → body
	Scopes   map[string]map[string]string `json:"scopes"`   // file → template name → def key
	Handlers []string                     `json:"handlers"` // sorted, unique
	// DynamicHandlers: some handler is named by data (bindtap="{{name}}"), so any
	// method of the owner may be asked for (the bridge then checks the name's shape).
	DynamicHandlers bool                  `json:"dynamicHandlers,omitempty"`
	Wxs             map[string]*WxsModule `json:"wxs,omitempty"` // module key → module
	// Models lists the data keys that model: bindings write (model:value="{{text}}"),
	// sorted and unique: the only keys the page may set through a model message.
	Models []string `json:"models,omitempty"`
}

// Node types, the "t" of a node.
const (
	NodeText = "text"
	NodeEl   = "el"
	NodeIf   = "if"
	NodeFor  = "for"
	NodeFrag = "frag"
	NodeTpl  = "tpl"
	NodeSlot = "slot"
)

// Node is one node of a compiled template. Which fields are used depends on T; the
// JSON form (see MarshalJSON) omits the fields that are empty.
type Node struct {
	T   string
	Ln  int    // 1-based line where the node starts
	Col int    // 1-based column (in characters)
	F   string // file the node comes from, when it is not the template's own file

	V *Value // text

	Tag      string            // el
	Attrs    map[string]Value  // el
	Data     map[string]Value  // el: data-* attributes, camelCase keys
	Marks    map[string]Value  // el: mark:* attributes
	Events   []Event           // el
	Model    map[string]string // el: model:ATTR="{{key}}", attribute → the data key it writes
	Slot     *Value            // el: slot="name"
	Children []*Node           // el, for, frag

	Branches []Branch // if

	List  *Expr  // for
	Item  string // for: loop variable name, "item" unless wx:for-item
	Index string // for: index variable name, "index" unless wx:for-index
	Key   string // for: "" (by position), a property name, or "*this"

	Is    *Value // tpl: template name
	Args  *Expr  // tpl: the "data" object (an obj Expr), nil when absent
	Scope string // tpl: file whose scope resolves Is

	Name  string // slot: "" for the default slot
	NameV *Value // slot: a name with {{…}}, rendered (Name is then "")
}

// Branch is one arm of an if node; Cond is nil for wx:else.
type Branch struct {
	Cond     *Expr   `json:"cond"`
	Children []*Node `json:"children,omitempty"`
}

// Event is one event binding of an element.
type Event struct {
	Type    string `json:"type"`
	Handler string `json:"handler"`      // static method name, "" when HV is set
	HV      *Value `json:"hv,omitempty"` // handler named by data: its text is the name
	Catch   bool   `json:"catch"`
	Capture bool   `json:"capture"`
	Mut     bool   `json:"mut"`
}

// Value is an attribute value or text: static text (Str), a boolean attribute written
// without a value (Flag, JSON true), exactly one {{expression}} (X), or text mixed with
// expressions (Cat).
type Value struct {
	Str  string
	Flag bool
	X    *Expr
	Cat  []Part
}

// Part is one piece of a Cat value: static text, or an expression when X is set.
type Part struct {
	Str string
	X   *Expr
}

// Static reports whether v holds plain text with no expression.
func (v Value) Static() bool { return !v.Flag && v.X == nil && v.Cat == nil }

// Expression kinds, the "k" of an Expr.
const (
	ExprLit    = "lit"
	ExprUndef  = "undef"
	ExprID     = "id"
	ExprMem    = "mem"
	ExprUn     = "un"
	ExprBin    = "bin"
	ExprCond   = "cond"
	ExprArr    = "arr"
	ExprObj    = "obj"
	ExprSpread = "spread" // only inside an arr's Items
	ExprWxs    = "wxs"    // a WXS module's exports: M is the module key
	ExprCall   = "call"   // O(Items...): only of a function of a WXS module
)

// Expr is a WXML expression tree. Which fields are used depends on K.
type Expr struct {
	K     string
	V     any     // lit: string, float64, bool or nil
	N     string  // id
	M     string  // wxs: module key
	Op    string  // un, bin
	A, B  *Expr   // un: A; bin: A Op B; cond: C ? A : B; spread: A
	C     *Expr   // cond
	O, P  *Expr   // mem: O[P]; call: O is the callee
	Items []*Expr // arr; call: the arguments
	Props []Prop  // obj
}

// Prop is one property of an object literal: Key: V, or ...Spread.
type Prop struct {
	Key    string
	V      *Expr
	Spread *Expr
}

package lint

import (
	"path"
	"strings"

	"github.com/dop251/goja/ast"
)

// What counts as an embedded interpreter (see docs/lint.md):
//   - names of known interpreter libraries, as identifiers or require()d file names;
//   - `new X.Interpreter(...)` (JS-Interpreter, eval5);
//   - an evaluator of JavaScript syntax trees: a switch, or an object of functions, over
//     at least estreeMin distinct ESTree node type names ("BinaryExpression", ...);
//   - a bytecode-style dispatch loop: a switch with at least opcodeMin cases, four in five
//     of them number literals, inside a loop of the same function (js/opcode-loop: a
//     warning, since emulators and state machines look the same).

// interpreterNames maps identifiers to the library they belong to.
var interpreterNames = map[string]string{
	"Sval":                      "sval",
	"eval5":                     "eval5",
	"evaljs":                    "evaljs",
	"notevil":                   "notevil",
	"JSInterpreter":             "JS-Interpreter",
	"getQuickJS":                "quickjs-emscripten",
	"newQuickJSWASMModule":      "quickjs-emscripten",
	"newQuickJSAsyncWASMModule": "quickjs-emscripten",
}

// interpreterFiles maps a required file's base name (without .js, .min) to its library.
var interpreterFiles = map[string]string{
	"sval": "sval", "eval5": "eval5", "evaljs": "evaljs", "notevil": "notevil",
	"interpreter": "JS-Interpreter", "js-interpreter": "JS-Interpreter", "acorn_interpreter": "JS-Interpreter",
	"quickjs": "quickjs-emscripten", "quickjs-emscripten": "quickjs-emscripten",
}

func interpreterModule(req string) (string, bool) {
	base := strings.ToLower(path.Base(req))
	base = strings.TrimSuffix(base, ".js")
	base = strings.TrimSuffix(base, ".min")
	lib, ok := interpreterFiles[base]
	return lib, ok
}

const (
	estreeMin = 10
	opcodeMin = 24
)

var estreeTypes = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`Program Identifier Literal ExpressionStatement BlockStatement
		EmptyStatement DebuggerStatement WithStatement ReturnStatement LabeledStatement
		BreakStatement ContinueStatement IfStatement SwitchStatement SwitchCase ThrowStatement
		TryStatement CatchClause WhileStatement DoWhileStatement ForStatement ForInStatement
		ForOfStatement FunctionDeclaration VariableDeclaration VariableDeclarator ThisExpression
		ArrayExpression ObjectExpression Property FunctionExpression ArrowFunctionExpression
		UnaryExpression UpdateExpression BinaryExpression AssignmentExpression LogicalExpression
		MemberExpression ConditionalExpression CallExpression NewExpression SequenceExpression
		TemplateLiteral TaggedTemplateExpression ClassDeclaration ClassExpression SpreadElement
		YieldExpression AwaitExpression`) {
		estreeTypes[n] = true
	}
}

func (j *jsCheck) switchStmt(n *ast.SwitchStatement) {
	numeric := 0
	estree := map[string]bool{}
	for _, c := range n.Body {
		switch t := c.Test.(type) {
		case *ast.NumberLiteral:
			numeric++
		case *ast.StringLiteral:
			if estreeTypes[string(t.Value)] {
				estree[string(t.Value)] = true
			}
		}
	}
	if len(estree) >= estreeMin && j.once("interp:estree") {
		j.node(n, "js/interpreter", "switch over %d JavaScript syntax node types looks like an embedded JavaScript interpreter: mini-apps may not run code they did not ship as source", len(estree))
		return
	}
	if len(n.Body) < opcodeMin || numeric*5 < len(n.Body)*4 || !j.inLoop() {
		return
	}
	j.node(n, "js/opcode-loop", "loop around a switch over %d numeric cases looks like a bytecode interpreter: if it runs downloaded programs, it runs code nobody reviewed", len(n.Body))
}

// inLoop reports whether the node being visited sits in a loop of its own function.
func (j *jsCheck) inLoop() bool {
	for i := 0; i < len(j.w.stack); i++ {
		switch j.w.parent(i).(type) {
		case *ast.ForStatement, *ast.WhileStatement, *ast.DoWhileStatement, *ast.ForInStatement, *ast.ForOfStatement:
			return true
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
			return false
		}
	}
	return false
}

// visitorTable finds {BinaryExpression: function (node) {...}, ...} evaluators.
func (j *jsCheck) visitorTable(n *ast.ObjectLiteral) {
	if len(n.Value) < estreeMin {
		return
	}
	estree := map[string]bool{}
	for _, p := range n.Value {
		pk, ok := p.(*ast.PropertyKeyed)
		if !ok || pk.Computed {
			continue
		}
		var key string
		switch k := pk.Key.(type) {
		case *ast.Identifier:
			key = string(k.Name)
		case *ast.StringLiteral:
			key = string(k.Value)
		}
		switch pk.Value.(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
			if estreeTypes[key] {
				estree[key] = true
			}
		}
	}
	if len(estree) >= estreeMin && j.once("interp:estree") {
		j.node(n, "js/interpreter", "object of handlers for %d JavaScript syntax node types looks like an embedded JavaScript interpreter: mini-apps may not run code they did not ship as source", len(estree))
	}
}

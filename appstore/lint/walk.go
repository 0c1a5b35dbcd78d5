package lint

import (
	"reflect"

	"github.com/dop251/goja/ast"
)

// walker visits every node of a goja AST in source order. goja has no visitor of its
// own, so this is the one place that knows every node type's children. pre runs before
// a node's children, with the stack holding its ancestors (innermost last); post runs
// after them.
type walker struct {
	stack []ast.Node
	pre   func(n ast.Node)
	post  func(n ast.Node)
}

// parent is the ancestor i levels up from the node being visited (0: its parent).
func (w *walker) parent(i int) ast.Node {
	if i >= len(w.stack) {
		return nil
	}
	return w.stack[len(w.stack)-1-i]
}

func isNilNode(n ast.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func (w *walker) walk(n ast.Node) {
	if isNilNode(n) {
		return
	}
	w.pre(n)
	w.stack = append(w.stack, n)
	w.children(n)
	w.stack = w.stack[:len(w.stack)-1]
	if w.post != nil {
		w.post(n)
	}
}

func (w *walker) exprs(list []ast.Expression) {
	for _, e := range list {
		w.walk(e)
	}
}

func (w *walker) stmts(list []ast.Statement) {
	for _, s := range list {
		w.walk(s)
	}
}

func (w *walker) bindings(list []*ast.Binding) {
	for _, b := range list {
		w.walk(b)
	}
}

func (w *walker) children(n ast.Node) {
	switch n := n.(type) {
	case *ast.Program:
		w.stmts(n.Body)

	// expressions
	case *ast.YieldExpression:
		w.walk(n.Argument)
	case *ast.AwaitExpression:
		w.walk(n.Argument)
	case *ast.ArrayLiteral:
		w.exprs(n.Value)
	case *ast.ArrayPattern:
		w.exprs(n.Elements)
		w.walk(n.Rest)
	case *ast.AssignExpression:
		w.walk(n.Left)
		w.walk(n.Right)
	case *ast.BinaryExpression:
		w.walk(n.Left)
		w.walk(n.Right)
	case *ast.BracketExpression:
		w.walk(n.Left)
		w.walk(n.Member)
	case *ast.CallExpression:
		w.walk(n.Callee)
		w.exprs(n.ArgumentList)
	case *ast.ConditionalExpression:
		w.walk(n.Test)
		w.walk(n.Consequent)
		w.walk(n.Alternate)
	case *ast.DotExpression:
		w.walk(n.Left) // the property name is not a reference
	case *ast.PrivateDotExpression:
		w.walk(n.Left)
	case *ast.OptionalChain:
		w.walk(n.Expression)
	case *ast.Optional:
		w.walk(n.Expression)
	case *ast.FunctionLiteral:
		w.walk(n.ParameterList)
		w.walk(n.Body)
	case *ast.ClassLiteral:
		w.walk(n.SuperClass)
		for _, e := range n.Body {
			w.walk(e)
		}
	case *ast.ArrowFunctionLiteral:
		w.walk(n.ParameterList)
		w.walk(n.Body)
	case *ast.ExpressionBody:
		w.walk(n.Expression)
	case *ast.NewExpression:
		w.walk(n.Callee)
		w.exprs(n.ArgumentList)
	case *ast.ObjectLiteral:
		for _, p := range n.Value {
			w.walk(p)
		}
	case *ast.ObjectPattern:
		for _, p := range n.Properties {
			w.walk(p)
		}
		w.walk(n.Rest)
	case *ast.ParameterList:
		w.bindings(n.List)
		w.walk(n.Rest)
	case *ast.PropertyShort:
		w.walk(&n.Name) // {a} reads a
		w.walk(n.Initializer)
	case *ast.PropertyKeyed:
		if n.Computed {
			w.walk(n.Key)
		}
		w.walk(n.Value)
	case *ast.SpreadElement:
		w.walk(n.Expression)
	case *ast.SequenceExpression:
		w.exprs(n.Sequence)
	case *ast.TemplateLiteral:
		w.walk(n.Tag)
		for i, el := range n.Elements {
			w.walk(el)
			if i < len(n.Expressions) {
				w.walk(n.Expressions[i])
			}
		}
	case *ast.UnaryExpression:
		w.walk(n.Operand)
	case *ast.Binding:
		w.walk(n.Target)
		w.walk(n.Initializer)

	// statements
	case *ast.BlockStatement:
		w.stmts(n.List)
	case *ast.CaseStatement:
		w.walk(n.Test)
		w.stmts(n.Consequent)
	case *ast.CatchStatement:
		w.walk(n.Parameter)
		w.walk(n.Body)
	case *ast.DoWhileStatement:
		w.walk(n.Body)
		w.walk(n.Test)
	case *ast.ExpressionStatement:
		w.walk(n.Expression)
	case *ast.ForInStatement:
		w.walk(n.Into)
		w.walk(n.Source)
		w.walk(n.Body)
	case *ast.ForOfStatement:
		w.walk(n.Into)
		w.walk(n.Source)
		w.walk(n.Body)
	case *ast.ForStatement:
		w.walk(n.Initializer)
		w.walk(n.Test)
		w.walk(n.Update)
		w.walk(n.Body)
	case *ast.IfStatement:
		w.walk(n.Test)
		w.walk(n.Consequent)
		w.walk(n.Alternate)
	case *ast.LabelledStatement:
		w.walk(n.Statement)
	case *ast.ReturnStatement:
		w.walk(n.Argument)
	case *ast.SwitchStatement:
		w.walk(n.Discriminant)
		for _, c := range n.Body {
			w.walk(c)
		}
	case *ast.ThrowStatement:
		w.walk(n.Argument)
	case *ast.TryStatement:
		w.walk(n.Body)
		w.walk(n.Catch)
		w.walk(n.Finally)
	case *ast.VariableStatement:
		w.bindings(n.List)
	case *ast.LexicalDeclaration:
		w.bindings(n.List)
	case *ast.WhileStatement:
		w.walk(n.Test)
		w.walk(n.Body)
	case *ast.WithStatement:
		w.walk(n.Object)
		w.walk(n.Body)
	case *ast.FunctionDeclaration:
		w.walk(n.Function)
	case *ast.ClassDeclaration:
		w.walk(n.Class)

	// class elements
	case *ast.FieldDefinition:
		if n.Computed {
			w.walk(n.Key)
		}
		w.walk(n.Initializer)
	case *ast.MethodDefinition:
		if n.Computed {
			w.walk(n.Key)
		}
		w.walk(n.Body)
	case *ast.ClassStaticBlock:
		w.walk(n.Block)

	// for-loop heads
	case *ast.ForLoopInitializerExpression:
		w.walk(n.Expression)
	case *ast.ForLoopInitializerVarDeclList:
		w.bindings(n.List)
	case *ast.ForLoopInitializerLexicalDecl:
		w.walk(&n.LexicalDeclaration)
	case *ast.ForIntoVar:
		w.walk(n.Binding)
	case *ast.ForDeclaration:
		w.walk(n.Target)
	case *ast.ForIntoExpression:
		w.walk(n.Expression)
	}
	// Leaves: identifiers, literals, this/super, meta properties, empty/debugger/branch
	// statements, bad nodes.
}

function evaluate(node, scope) {
  switch (node.type) {
    case 'BinaryExpression': return step(node)
    case 'UnaryExpression': return step(node)
    case 'CallExpression': return step(node)
    case 'Identifier': return step(node)
    case 'Literal': return step(node)
    case 'MemberExpression': return step(node)
    case 'IfStatement': return step(node)
    case 'ReturnStatement': return step(node)
    case 'BlockStatement': return step(node)
    case 'ExpressionStatement': return step(node)
    case 'AssignmentExpression': return step(node)
  }
}

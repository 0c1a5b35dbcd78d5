var handlers = {
  BinaryExpression: function (n) { return n },
  UnaryExpression: function (n) { return n },
  CallExpression: function (n) { return n },
  Identifier: function (n) { return n },
  Literal: function (n) { return n },
  MemberExpression: function (n) { return n },
  IfStatement: function (n) { return n },
  ReturnStatement: function (n) { return n },
  BlockStatement: function (n) { return n },
  ExpressionStatement: function (n) { return n },
  AssignmentExpression: function (n) { return n },
}

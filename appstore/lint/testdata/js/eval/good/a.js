var obj = { eval: function (s) { return s } }
obj.eval("not the global one")
var data = JSON.parse('{"a":1}')
var s = "eval(x)"

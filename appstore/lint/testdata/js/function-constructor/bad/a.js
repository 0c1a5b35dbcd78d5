var f = Function("return 1")
var g = new Function("a", "return a")
var h = window.Function("x")
var F = Function

var a = ''.constructor.constructor("return this")()
var b = (function () {}).constructor("x")
var c = Object.getPrototypeOf(async function () {}).constructor
var d = [].__proto__.constructor
var e = (() => 1)['constructor']

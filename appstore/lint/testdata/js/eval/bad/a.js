var x = eval("1+1")
var y = (0, eval)("2")
window.eval("3")
globalThis['eval']("4")
var e = eval
self?.eval("5")

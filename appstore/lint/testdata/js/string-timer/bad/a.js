setTimeout("tick()", 100)
setInterval(`poll()`, 1000)
globalThis.setTimeout("a" + b, 5)

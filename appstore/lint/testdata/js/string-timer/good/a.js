setTimeout(function () { tick() }, 100)
setInterval(() => poll(), 1000)
var name = "tick"
setTimeout(handlers[name], 5)

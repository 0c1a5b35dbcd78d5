function Widget() {}
Widget.prototype.render = function () {}
var o = Object.create(null)
Object.defineProperty(o, 'y', { value: 1 })
var arr = []
arr.push(1)

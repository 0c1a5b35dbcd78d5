function Point() {}
var p = new Point()
var same = p.constructor === Point
var name = this.constructor.name

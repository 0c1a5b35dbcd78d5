var name = './b'
var m = require(name)
var n = require('./' + name)

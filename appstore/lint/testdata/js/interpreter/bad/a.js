var Sval = require('./lib/sval.min.js')
var vm = new Sval({ ecmaVer: 9 })
var it = new acorn.Interpreter(code)

var util = require('../../utils/util')
var same = require('../../utils/util.js')
var idx = require('../../lib')

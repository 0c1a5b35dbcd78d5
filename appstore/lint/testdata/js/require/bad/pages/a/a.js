var fs = require('fs')
var up = require('../../../outside')
var gone = require('./missing')
var abs = require('/utils/x')

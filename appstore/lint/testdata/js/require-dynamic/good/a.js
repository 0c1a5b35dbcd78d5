var b = require('./b')

// A page whose module is missing: WeChat runs the app without it.
const x = require('./x');
Page({ data: { x: x } });

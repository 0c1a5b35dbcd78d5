// Its module is missing: the app runs without this page.
const x = require('./x');
Page({ data: { x: x } });

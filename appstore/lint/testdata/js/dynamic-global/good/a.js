var table = {}
table[key] = 1
var g = globalThis.setTimeout
var h = window['setTimeout']

var k = 'ev' + 'al'
globalThis[k]('1')
window[name + 'x']

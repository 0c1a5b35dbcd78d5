var nbsp = '\u00a0'
var reset = '\x1b[0m' + 'plain text that is long enough to matter here'
var path = 'C:\\xfiles\\user'

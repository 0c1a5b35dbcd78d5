var base = 'https://api.example.com/v1/'
var img = 'https://img.cdn.example.com/a.png'
var sock = 'wss://ws.example.com:8443/live'
var ns = 'http://www.w3.org/2000/svg'
var built = 'https://' + host + '/x'
var t = `https://${host}/y`
var explicit = 'https://api.example.com:443/z'

var base = 'https://evil.example.net/api'
var plain = "http://api.example.com/x"
var port = `https://api.example.com:8443/v1`
var apex = 'https://cdn.example.com/a.png'
var text = 'see https://docs.other.org for more'

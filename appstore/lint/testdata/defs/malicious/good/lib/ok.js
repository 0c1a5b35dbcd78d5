// a known-malicious file
module.exports = 'fine'

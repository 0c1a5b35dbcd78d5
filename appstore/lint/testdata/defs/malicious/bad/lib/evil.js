// a known-malicious file
module.exports = 'stealer'

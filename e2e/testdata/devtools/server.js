// The e2e test writes the loopback server's url here.
module.exports = { url: 'https://127.0.0.1:1' };

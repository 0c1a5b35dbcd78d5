// The e2e test writes the loopback server's address here in its copy of the app.
module.exports = { url: 'wss://127.0.0.1:1/echo' };

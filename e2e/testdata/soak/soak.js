// The soak driver (e2e/soak_test.go) rewrites this in each app's copy.
module.exports = { url: 'https://127.0.0.1:1/', period: 1000, ms: 60000, maxTicks: 60 };

// Stands in for an npm package built into miniprogram_npm/ (written for this test).
module.exports = function dayjs(ms) {
  const d = new Date(ms)
  return { year: () => d.getUTCFullYear() }
}

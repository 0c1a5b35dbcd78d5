// The shop's cart: its module is in the subpackage.
const items = [1250, 399]
module.exports = {
  totalCents() {
    return items.reduce((a, b) => a + b, 0)
  },
  total() {
    return (this.totalCents() / 100).toFixed(2)
  }
}

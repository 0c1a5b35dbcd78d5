// Main-package helper: every subpackage may require it.
module.exports = {
  price(cents) {
    return (cents / 100).toFixed(2) + ' EUR'
  }
}

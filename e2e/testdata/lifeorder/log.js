// The order lifecycles ran in, shared by the page and its component.
module.exports = []

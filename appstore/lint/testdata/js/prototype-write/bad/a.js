Array.prototype.shuffle = function () {}
Object.prototype['x'] = 1
obj.__proto__ = other
Object.defineProperty(Object.prototype, 'y', { value: 1 })
Object.setPrototypeOf(a, b)
delete String.prototype.trim;
[].__proto__.push = null

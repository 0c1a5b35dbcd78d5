exports.makeTodo = function (id, title) {
  return { id: id, title: title, done: false };
};
exports.remaining = function (todos) {
  return todos.filter(function (t) { return !t.done; }).length;
};

const todo = require('../../utils/todo');

Page({
  data: { todos: [], input: '', remaining: 0 },
  onLoad() {
    const todos = [todo.makeTodo(1, 'Buy milk'), todo.makeTodo(2, 'Write code')];
    this.setData({ todos: todos, remaining: todo.remaining(todos) });
  },
  onReady() {
    console.log('index onReady');
  },
  onInput(e) {
    this.setData({ input: e.detail.value });
  },
  onAdd() {
    const title = this.data.input.trim();
    if (!title) return;
    const id = this.data.todos.length + 1;
    this.setData({
      ['todos[' + this.data.todos.length + ']']: todo.makeTodo(id, title),
      input: '',
      remaining: this.data.remaining + 1,
    });
  },
  onToggle(e) {
    const i = this.data.todos.findIndex(function (t) { return t.id === e.detail.id; });
    if (i < 0) return;
    const done = !this.data.todos[i].done;
    this.setData({ ['todos[' + i + '].done']: done, remaining: this.data.remaining + (done ? -1 : 1) });
  },
  onInfo() {
    const info = wx.getSystemInfoSync();
    this.setData({ width: info.windowWidth });
  },
  onStats() {
    return wx.navigateTo({ url: '/pages/stats/stats?from=index' });
  },
});

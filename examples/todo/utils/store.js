// A tiny in-memory store shared by the pages through require().
let nextId = 1
const todos = []

function add(title) {
  const text = String(title || '').trim()
  if (!text) {
    throw new Error('a todo needs a title')
  }
  const todo = { id: nextId++, title: text, done: false, createdAt: new Date() }
  todos.push(todo)
  return todo
}

function toggle(id) {
  const todo = todos.find(t => t.id === id)
  if (todo) todo.done = !todo.done
  return todo
}

function remove(id) {
  const i = todos.findIndex(t => t.id === id)
  if (i >= 0) todos.splice(i, 1)
}

function list(filter) {
  if (filter === 'active') return todos.filter(t => !t.done)
  if (filter === 'done') return todos.filter(t => t.done)
  return todos.slice()
}

function stats() {
  const done = todos.filter(t => t.done).length
  const total = todos.length
  return {
    total,
    done,
    active: total - done,
    percent: total === 0 ? 0 : Math.round((done / total) * 100)
  }
}

module.exports = { add, toggle, remove, list, stats }

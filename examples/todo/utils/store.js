// The list, shared by the pages through require() and kept in wx storage, so it is
// still there the next time the app starts.
const KEY = 'todos'

function load() {
  try {
    const saved = wx.getStorageSync(KEY)
    return Array.isArray(saved) ? saved : []
  } catch (e) {
    console.warn('todo: storage unavailable, starting empty:', e.message)
    return []
  }
}

// Saved synchronously: when the list on screen changes, it is already on disk.
function save() {
  try {
    wx.setStorageSync(KEY, todos)
  } catch (e) {
    console.error('todo: not saved:', e.message)
  }
}

const todos = load()
let nextId = todos.reduce((max, t) => Math.max(max, t.id), 0) + 1

function add(title) {
  const text = String(title || '').trim()
  if (!text) {
    throw new Error('a todo needs a title')
  }
  const todo = { id: nextId++, title: text, done: false, createdAt: new Date() }
  todos.push(todo)
  save()
  return todo
}

function toggle(id) {
  const todo = todos.find(t => t.id === id)
  if (todo) {
    todo.done = !todo.done
    save()
  }
  return todo
}

function remove(id) {
  const i = todos.findIndex(t => t.id === id)
  if (i >= 0) {
    todos.splice(i, 1)
    save()
  }
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

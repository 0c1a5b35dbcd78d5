const store = require('../../utils/store')

const FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'done', label: 'Done' }
]

Page({
  data: {
    draft: '',
    filter: 'all',
    filters: FILTERS,
    visible: [],
    activeCount: 0,
    copyResult: ''
  },

  onLoad(query) {
    this.refresh()
  },

  onShow() {
    // Coming back from the statistics page: the store may be unchanged, but keep in sync.
    this.refresh()
  },

  refresh() {
    this.setData({
      visible: store.list(this.data.filter),
      activeCount: store.stats().active
    })
  },

  onInput(e) {
    this.setData({ draft: e.detail.value })
  },

  onAdd() {
    const title = this.data.draft.trim()
    if (!title) {
      wx.showToast({ title: 'Type a todo first', icon: 'none' })
      return
    }
    store.add(title)
    this.setData({ draft: '' })
    this.refresh()
  },

  onToggle(e) {
    store.toggle(e.detail.id)
    this.refresh()
  },

  onRemove(e) {
    store.remove(e.detail.id)
    this.refresh()
  },

  onFilter(e) {
    this.setData({ filter: e.currentTarget.dataset.filter })
    this.refresh()
  },

  // Copies the list as plain text; the clipboard is a capability the user grants.
  onCopy() {
    const lines = store.list('all').map(t => (t.done ? '[x] ' : '[ ] ') + t.title)
    wx.setClipboardData({ data: lines.join('\n') || '(nothing to do)' }).then(
      r => this.setData({ copyResult: r.errMsg }),
      e => {
        this.setData({ copyResult: e.errMsg })
        wx.showToast({ title: 'Copying is not allowed', icon: 'none' })
      })
  },

  openStats() {
    wx.navigateTo({ url: '/pages/stats/stats?from=index' })
  }
})

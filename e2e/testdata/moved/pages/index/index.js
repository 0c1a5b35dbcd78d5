Page({
  data: { items: ['a', 'b', 'c'], moved: '' },
  reverse() { this.setData({ items: this.data.items.slice().reverse() }) },
  onMoved(e) { this.setData({ moved: (this.data.moved + ' ' + e.detail).trim() }) }
})

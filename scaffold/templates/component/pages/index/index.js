Page({
  data: { total: 0, counts: {} },

  onChange(e) {
    const counts = Object.assign({}, this.data.counts, { [e.currentTarget.id]: e.detail.value })
    const total = Object.keys(counts).reduce((sum, k) => sum + counts[k], 0)
    this.setData({ counts, total })
  }
})

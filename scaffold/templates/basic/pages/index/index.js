Page({
  data: { count: 0 },

  onTap() {
    this.setData({ count: this.data.count + 1 })
  }
})

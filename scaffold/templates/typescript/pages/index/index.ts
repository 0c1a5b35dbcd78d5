interface IndexData {
  count: number
}

Page<IndexData, WechatMiniprogram.IAnyObject>({
  data: { count: 0 },

  onTap() {
    const count: number = this.data.count + 1
    this.setData({ count })
  }
})

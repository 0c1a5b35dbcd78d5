Page({
  data: { result: '' },
  who() {
    wx.getUserProfile({ desc: 'Greet you' }).then(
      r => this.setData({ result: r.userInfo.nickName + '|' + r.userInfo.avatarUrl }),
      e => this.setData({ result: e.errMsg }))
  },
  clear() { this.setData({ result: '' }) }
})

Page({
  data: {
    name: '',
    langs: [
      { value: 'go', label: 'Go', checked: false },
      { value: 'js', label: 'JavaScript', checked: false }
    ],
    picked: [],
    pickedText: 'none',
    notify: false,
    result: 'nothing yet',
    answer: '',
    nameLeft: '',
    permResult: ''
  },
  onSubmit(e) {
    // Keys sorted so the result reads the same every time.
    const v = e.detail.value
    const sorted = {}
    Object.keys(v).sort().forEach(k => { sorted[k] = v[k] })
    this.setData({ result: JSON.stringify(sorted) })
  },
  onReset() {
    this.setData({ result: 'reset', picked: [], pickedText: 'none', notify: false })
  },
  onLangs(e) {
    const picked = e.detail.value
    this.setData({ picked, pickedText: picked.length ? picked.join(', ') : 'none' })
  },
  onNameBlur(e) {
    this.setData({ nameLeft: e.detail.value })
  },
  onNotify(e) {
    this.setData({ notify: e.detail.value })
  },
  onAsk() {
    wx.showModal({ title: 'Keep going?', content: 'This is a modal from wx.showModal.' })
      .then(res => this.setData({ answer: res.confirm ? 'confirmed' : 'cancelled' }))
  },
  onCopy() {
    wx.setClipboardData({ data: 'Hello from Widgets' }).then(
      r => this.setData({ permResult: r.errMsg }),
      e => this.setData({ permResult: e.errMsg }))
  },
  onWho() {
    wx.getUserProfile({ desc: 'Greet you by name' }).then(
      r => this.setData({ permResult: 'Hello, ' + r.userInfo.nickName }),
      e => this.setData({ permResult: e.errMsg }))
  },
  onPick() {
    wx.chooseMessageFile({ count: 1 }).then(
      r => this.setData({ permResult: r.tempFiles[0].name + ': ' + r.tempFiles[0].size + ' bytes' }),
      e => this.setData({ permResult: e.errMsg }))
  },
  onSettings() {
    wx.openSetting().then(
      r => this.setData({ permResult: JSON.stringify(r.authSetting) }),
      e => this.setData({ permResult: e.errMsg }))
  },
  onToast() {
    wx.showToast({ title: 'Saved', icon: 'success' })
  }
})

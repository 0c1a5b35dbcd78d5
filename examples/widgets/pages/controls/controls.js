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
    nameLeft: ''
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
  onToast() {
    wx.showToast({ title: 'Saved', icon: 'success' })
  }
})

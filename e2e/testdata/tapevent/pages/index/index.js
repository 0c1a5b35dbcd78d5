// What a handler sees of a real tap: the event object the page sent, decoded once by
// the shell's gate and handed to logic (in process, or in a child process).
Page({
  data: { out: '', n: 0 },
  onTap(e) {
    const d = e.currentTarget.dataset, m = e.mark
    const n = this.data.n + 1
    this.setData({
      n: n,
      out: [n, e.type, typeof e.timeStamp, e.target.id, e.currentTarget.id,
        'id=' + JSON.stringify(d.id), 'itemName=' + d.itemName, 'group=' + d.group,
        'area=' + m.area, 'row=' + JSON.stringify(m.row), typeof e.detail].join(' '),
    })
  },
})

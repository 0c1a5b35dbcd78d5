function rows(from, n) {
  const out = []
  for (let i = from; i < from + n; i++) out.push({ id: i })
  return out
}

Page({
  data: { rows: rows(1, 20), picked: 0, verb: '' },
  onMore() {
    const next = this.data.rows.length + 1
    // A path key appends without resending the whole list.
    const patch = {}
    rows(next, 20).forEach((r, i) => { patch['rows[' + (next - 1 + i) + ']'] = r })
    this.setData(patch)
  },
  onPick(e) {
    this.setData({ picked: e.currentTarget.dataset.id, verb: 'Picked' })
  },
  onHold(e) {
    // A long press does not also tap.
    this.setData({ picked: e.currentTarget.dataset.id, verb: 'Held' })
  }
})

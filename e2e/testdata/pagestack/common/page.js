// One page definition for every page of this app: each records what
// getCurrentPages() says in its onLoad (WeChat: it already ends with the page itself)
// and navigates with the API and arguments its button names.
module.exports = function page(name) {
  return {
    data: { name: name, seen: '', self: false, err: '', n: 0 },
    onLoad() {
      const pages = getCurrentPages()
      this.setData({
        seen: pages.map(p => p.route.split('/').pop()).join(','),
        self: pages[pages.length - 1] === this
      })
    },
    go(e) {
      const d = e.detail && e.detail.api ? e.detail : e.currentTarget.dataset
      wx[d.api]({
        url: d.url,
        delta: Number(d.delta || 1),
        success: () => this.setData({ err: '' }),
        fail: r => this.setData({ err: r.errMsg })
      })
    },
    poke() {
      this.setData({ n: this.data.n + 1 })
    }
  }
}

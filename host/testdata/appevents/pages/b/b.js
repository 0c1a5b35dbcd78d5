Page({ data: { page: "b" }, onLoad(q) { this.setData({ from: q.from + "|" + q.x + "|" + q.entry }) } })

Page({
  data: { got: null, refused: 0, answered: 0 },
  ask() {
    wx.createSelectorQuery().select('#a').boundingClientRect().exec((r) => this.setData({ got: r[0] }));
  },
  // More questions than the host lets wait: the rest are answered at once, empty.
  flood() {
    for (let i = 0; i < 300; i++) {
      this.createSelectorQuery().select('#a').boundingClientRect().exec((r) => {
        if (r[0] === null) this.setData({ refused: this.data.refused + 1 });
        else this.setData({ answered: this.data.answered + 1 });
      });
    }
  },
});

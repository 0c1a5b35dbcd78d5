Page({
  data: { path: '', err: '' },
  onLoad() {
    const ctx = wx.createCanvasContext('c');
    ctx.fillRect(0, 0, 10, 10);
    ctx.draw();
    wx.canvasToTempFilePath({ canvasId: 'c', destWidth: 20 })
      .then((res) => this.setData({ path: res.tempFilePath }))
      .catch((err) => this.setData({ err: err.errMsg }));
  },
});

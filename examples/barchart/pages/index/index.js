// A bar chart, drawn twice: with WeChat's legacy CanvasContext (wx.createCanvasContext)
// and with the 2d Canvas of <canvas type="2d"> that SelectorQuery's node() gives. Each
// drawing is exported with wx.canvasToTempFilePath; the paths go into the page's data
// (the e2e test reads the files and checks their pixels).

const DATA = [
  { label: 'Q1', value: 40, color: '#e74c3c' },
  { label: 'Q2', value: 80, color: '#3498db' },
  { label: 'Q3', value: 120, color: '#2ecc71' },
  { label: 'Q4', value: 60, color: '#f1c40f' },
];
const TITLE = 'Sales 2026';

// drawChart draws on any context with the standard surface (both kinds have it).
function drawChart(ctx, gradient) {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 300, 220);
  ctx.fillStyle = '#000000';
  ctx.font = '16px sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(TITLE, 10, 4);
  ctx.strokeStyle = '#000000';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(30, 30);
  ctx.lineTo(30, 190);
  ctx.lineTo(290, 190);
  ctx.stroke();
  ctx.font = '12px sans-serif';
  ctx.textAlign = 'center';
  DATA.forEach((d, i) => {
    const x = 50 + i * 60, h = d.value * 1.2;
    if (gradient && i === 3) {
      const g = ctx.createLinearGradient(0, 190 - h, 0, 190);
      g.addColorStop(0, '#f1c40f');
      g.addColorStop(1, '#e67e22');
      ctx.fillStyle = g;
    } else {
      ctx.fillStyle = d.color;
    }
    ctx.fillRect(x, 190 - h, 40, h);
    ctx.fillStyle = '#333333';
    ctx.fillText(d.label, x + 20, 194);
    ctx.fillText(String(d.value), x + 20, 190 - h - 14);
  });
}

// canvasNode finds the Canvas of a <canvas type="2d">: through SelectorQuery where
// the shell has it, else through the framework's own hook.
function canvasNode(page, id, cb) {
  if (wx.canIUse('createSelectorQuery')) {
    wx.createSelectorQuery().select('#' + id).fields({ node: true, size: true }).exec((res) => {
      cb(res[0].node, res[0].width, res[0].height);
    });
    return;
  }
  cb(globalThis.__sfCanvasNode(page, { id: id, width: 300, height: 220 }), 300, 220);
}

Page({
  data: { wide: false, step: 'loading', width: 0, error: '', touch: '', pixel: '', path: '', path2d: '' },

  onReady() {
    const ctx = wx.createCanvasContext('bars', this);
    this.ctx = ctx;
    drawChart(ctx, false);
    ctx.drawImage('../../images/dot.png', 262, 40, 16, 16);
    ctx.font = '16px sans-serif';
    const width = ctx.measureText(TITLE).width;
    ctx.draw(false, () => {
      wx.canvasToTempFilePath({
        canvasId: 'bars',
        success: (res) => {
          this.setData({ path: res.tempFilePath, width: Math.round(width * 100) / 100 });
          this.draw2d();
        },
        fail: (err) => this.setData({ step: 'failed: ' + err.errMsg }),
      }, this);
    });
  },

  draw2d() {
    canvasNode(this, 'bars2d', (canvas, w, h) => {
      const dpr = wx.getSystemInfoSync().pixelRatio || 1;
      canvas.width = w * dpr;
      canvas.height = h * dpr;
      const ctx = canvas.getContext('2d');
      ctx.scale(dpr, dpr);
      drawChart(ctx, true);
      const img = canvas.createImage();
      img.onload = () => {
        ctx.drawImage(img, 262, 40, 16, 16);
        wx.canvasToTempFilePath({
          canvas: canvas,
          success: (res) => this.setData({ path2d: res.tempFilePath, step: 'drawn' }),
          fail: (err) => this.setData({ step: 'failed 2d: ' + err.errMsg }),
        });
      };
      img.onerror = (e) => this.setData({ step: 'image failed: ' + e.errMsg });
      img.src = '/images/dot.png';
    });
  },

  exportLegacy(step) {
    wx.canvasToTempFilePath({
      canvasId: 'bars',
      success: (res) => this.setData({ path: res.tempFilePath, step: step }),
      fail: (err) => this.setData({ step: 'failed: ' + err.errMsg }),
    }, this);
  },

  // draw(false): the canvas is cleared first, so only the blue square remains.
  drawFresh() {
    this.ctx.setFillStyle('#0000ff');
    this.ctx.fillRect(10, 10, 20, 20);
    this.ctx.draw(false, () => this.exportLegacy('fresh'));
  },

  // draw(true): on top of what is there.
  drawMore() {
    this.ctx.setFillStyle('#800080');
    this.ctx.fillRect(40, 10, 20, 20);
    this.ctx.draw(true, () => this.exportLegacy('more'));
  },

  drawBroken() {
    this.ctx.drawImage('/images/missing.png', 0, 0, 10, 10);
    this.ctx.draw(true);
  },

  // canvasPutImageData writes 4 x 4 red pixels; canvasGetImageData reads one of them
  // and one of the blue square back.
  pixels() {
    const red = new Uint8ClampedArray(4 * 4 * 4);
    for (let i = 0; i < red.length; i += 4) { red[i] = 255; red[i + 3] = 255; }
    wx.canvasPutImageData({ canvasId: 'bars', data: red, x: 100, y: 100, width: 4, height: 4 }, this).then(() => Promise.all([
      wx.canvasGetImageData({ canvasId: 'bars', x: 101, y: 101, width: 1, height: 1 }, this),
      wx.canvasGetImageData({ canvasId: 'bars', x: 20, y: 20, width: 1, height: 1 }, this),
    ])).then((res) => {
      this.setData({ pixel: res.map((r) => Array.from(r.data).join(',')).join('|') });
    }).catch((err) => this.setData({ pixel: 'failed: ' + err.errMsg }));
  },

  // A wider canvas gets a bigger bitmap, and what it showed is drawn again.
  widen() {
    this.setData({ wide: true }, () => this.exportLegacy('wide'));
  },

  onError(e) { this.setData({ error: e.detail.errMsg }); },
  // A touch on a canvas carries x/y in the canvas's own pixels (WeChat's touches).
  onTouch(e) { this.setData({ touch: e.touches[0].x + ',' + e.touches[0].y }); },
});

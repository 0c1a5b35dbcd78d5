const server = require('../../server.js');

Page({
  data: { title: 'hello', count: 1, status: 'idle', refused: '', items: [{ name: 'first' }] },
  onLoad() {
    console.log('devtools page loaded', { count: this.data.count, nested: { ok: true } });
    console.warn('a warning line');
    wx.setStorageSync('greeting', { text: 'hi', n: 2 });
  },
  fetch() {
    wx.request({
      url: server.url + '/hello',
      success: (r) => this.setData({ status: 'got ' + r.statusCode }),
      fail: (e) => this.setData({ status: e.errMsg })
    });
    wx.request({
      url: 'https://evil.example.org/steal',
      fail: (e) => this.setData({ refused: e.errMsg })
    });
  },
  bump() {
    this.setData({ count: this.data.count + 1 });
    console.error('bumped to', this.data.count);
  }
});

const server = require('../../server.js');

Page({
  data: { state: 'idle', text: '', bytes: '', closed: '', global: '', undeclared: '', plain: '', network: '' },
  go() {
    const task = wx.connectSocket({ url: server.url, protocols: ['chat'] });
    this.setData({ state: 'connecting' });
    wx.onSocketMessage(() => this.setData({ global: 'global saw a message' }));
    task.onOpen(() => {
      this.setData({ state: 'open' });
      task.send({ data: 'hello over wss' });
      task.send({ data: new Uint8Array([7, 8, 9]).buffer });
    });
    let n = 0;
    task.onMessage((m) => {
      n++;
      if (typeof m.data === 'string') this.setData({ text: 'echo: ' + m.data });
      else this.setData({ bytes: 'bytes: ' + Array.from(new Uint8Array(m.data)).join(',') });
      if (n === 2) task.close({ code: 4000, reason: 'done' });
    });
    task.onError((e) => this.setData({ state: 'error ' + e.errMsg }));
    task.onClose((c) => this.setData({ closed: 'closed ' + c.code + ' ' + c.reason }));
  },
  refused() {
    wx.connectSocket({ url: 'wss://evil.example.org/ws', fail: (e) => this.setData({ undeclared: e.errMsg }) });
    wx.connectSocket({ url: 'ws://api.example.test/ws', fail: (e) => this.setData({ plain: e.errMsg }) });
  },
  net() {
    wx.getNetworkType({ success: (r) => this.setData({ network: 'type ' + r.networkType }) });
  },
});

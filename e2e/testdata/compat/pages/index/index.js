Page({
  data: {
    amount: 12.5, done: true, count: 3, word: 'hey', sentence: ' one  two three ',
    switch: 'S', default: 'D', obj: { class: 'C', new: 'N' }, name: 'ada',
    handler: 'onFirst', lock: true, taps: 'none', spinning: false,
  },
  onFirst() { this.setData({ taps: 'first' }); },
  onSecond() { this.setData({ taps: 'second' }); },
  swap() { this.setData({ handler: 'onSecond' }); },
  clear() { this.setData({ handler: '', taps: 'cleared' }); },
  noop() {},
  spin() { this.setData({ spinning: true, handler: 'onFirst' }); },
});

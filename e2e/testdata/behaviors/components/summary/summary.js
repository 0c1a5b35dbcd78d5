// Observers with a wildcard and with several fields.
Component({
  properties: { info: { type: Object, value: {} } },
  data: { text: '', both: '', changes: 0 },
  observers: {
    'info.**'(info) { this.setData({ text: info.name + ' x' + info.count }); },
    'info.name, info.count'(name, count) { this.setData({ both: name + '/' + count }); },
    '**'() { this.data.changes++; },
  },
});

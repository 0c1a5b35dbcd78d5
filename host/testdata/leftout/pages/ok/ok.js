Page({ data: { here: '' }, onLoad() { this.setData({ here: 'ok' }) } });

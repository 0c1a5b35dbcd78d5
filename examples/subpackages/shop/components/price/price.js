Component({
  properties: { cents: { type: Number, value: 0 } },
  data: { shown: '' },
  observers: {
    cents(c) {
      this.setData({ shown: (c / 100).toFixed(2) })
    }
  }
})

Component({
  properties: {
    label: { type: String, value: '' },
    step: { type: Number, value: 1 }
  },
  data: { value: 0 },
  methods: {
    less() { this.change(-this.data.step) },
    more() { this.change(this.data.step) },
    change(by) {
      const value = this.data.value + by
      this.setData({ value })
      this.triggerEvent('change', { value })
    }
  }
})

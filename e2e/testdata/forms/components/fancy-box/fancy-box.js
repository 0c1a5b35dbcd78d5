Component({
  externalClasses: ['box-class'],
  options: { multipleSlots: true },
  properties: { count: { type: Number, value: 0 } },
  methods: {
    inc() { this.setData({ count: this.data.count + 1 }); },
  },
});

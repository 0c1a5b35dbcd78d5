Component({
  properties: {
    item: { type: Object, value: null },
    index: Number,
  },
  data: { editing: false },
  methods: {
    onTap() {
      this.triggerEvent('toggle', { id: this.data.item.id });
    },
  },
});

// One row of the list. It owns no state: it reports toggles and removals to its page.
Component({
  properties: {
    item: { type: Object, value: {} }
  },
  data: { toggles: 0 },
  observers: {
    'item.done': function (done) {
      // Count how often this row changed state, to show observers at work.
      this.data.toggles += 1
    }
  },
  methods: {
    onToggle() {
      this.triggerEvent('toggle', { id: this.data.item.id })
    },
    onRemove() {
      this.triggerEvent('remove', { id: this.data.item.id })
    }
  }
})

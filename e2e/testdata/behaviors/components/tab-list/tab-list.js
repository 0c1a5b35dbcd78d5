// The list side of a relation: its items link to it when they are placed in its slot.
Component({
  data: { summary: 'no tabs' },
  relations: {
    '../tab-item/tab-item': {
      type: 'child',
      linked() { this.recount(); },
      unlinked() { this.recount(); },
    },
  },
  methods: {
    recount() {
      const items = this.getRelationNodes('../tab-item/tab-item');
      this.setData({ summary: items.length + ' tabs: ' + items.map(i => i.data.label).join(', ') });
    },
  },
});

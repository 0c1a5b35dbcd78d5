// selectComponent('#counter') answers what export() returns.
Component({
  behaviors: ['wx://component-export'],
  data: { n: 0 },
  methods: { bump() { this.setData({ n: this.data.n + 1 }); } },
  export() {
    return { bump: () => this.bump(), value: () => this.data.n };
  },
});

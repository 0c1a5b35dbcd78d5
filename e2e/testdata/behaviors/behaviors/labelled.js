// A behavior of our own: data merged under the component's, a method, a lifetime.
module.exports = Behavior({
  properties: { label: { type: String, value: '?' } },
  data: { meta: { from: 'behavior', shared: 'behavior' } },
  methods: { shout() { return String(this.data.label).toUpperCase(); } },
  lifetimes: { attached() { this.setData({ shouted: this.shout() }); } },
});

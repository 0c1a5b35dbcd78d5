// A page built with Component(): lifetimes and methods as page hooks, query as properties.
Component({
  behaviors: [require('../../behaviors/greet')],
  properties: { n: { type: Number, value: 0 } },
  data: { steps: [] },
  lifetimes: {
    created() { this.steps = ['created n=' + this.data.n]; },
    attached() { this.steps.push('attached n=' + this.data.n); },
    ready() { this.steps.push('ready'); },
  },
  methods: {
    onLoad(q) {
      this.steps.push('onLoad ' + q.n);
      const pages = getCurrentPages();
      this.setData({ pages: pages.length + ' page(s), last ' + pages[pages.length - 1].route, hi: this.greet('there') });
    },
    onShow() { this.steps.push('onShow'); },
    onReady() { this.steps.push('onReady'); this.setData({ steps: this.steps.join(' > ') }); },
  },
});

// A custom form control: wx://form-field makes the <form> collect its name and value.
Component({
  behaviors: ['wx://form-field'],
  lifetimes: { attached() { if (this.data.value === null) this.setData({ value: 0 }); } },
  methods: { rate() { this.setData({ value: this.data.value + 1 }); } },
});

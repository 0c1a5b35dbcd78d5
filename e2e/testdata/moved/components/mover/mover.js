Component({
  properties: { label: String },
  lifetimes: { moved() { this.triggerEvent('moved', this.data.label) } }
})

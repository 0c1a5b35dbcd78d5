Page({
  data: { got: '' },
  onSubmit(e) { this.setData({ got: JSON.stringify(e.detail.value) }) }
})

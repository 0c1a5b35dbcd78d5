Page({
  data: {},
  onLoad() {
    let x = ;
  },
});

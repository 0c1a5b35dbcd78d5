// an old template left a page script here
Page({
  data: {}
});

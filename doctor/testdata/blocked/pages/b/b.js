Page({
  go() { eval("1"); }
});

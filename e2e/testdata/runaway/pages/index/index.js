// A handler that never returns: the shell must stop the app at its CPU budget.
Page({
  spin() {
    for (;;) {}
  }
})

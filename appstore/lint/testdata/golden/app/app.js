App({
  onLaunch() {
    setTimeout("this.boot()", 10)
  }
})

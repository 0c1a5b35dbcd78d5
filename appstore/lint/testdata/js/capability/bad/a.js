wx.setClipboardData({ data: 'ok' })
wx.getLocation({ type: 'wgs84' })
sf['getClipboardData']()
const { chooseImage } = wx
wx.authorize({ scope: 'scope.userInfo' })

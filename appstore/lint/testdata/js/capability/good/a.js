wx.getLocation({ type: 'wgs84' })
wx.showToast({ title: 'hi' })
wx.authorize({ scope: 'scope.userLocation' })
var other = { getUserProfile: function () {} }
other.getUserProfile()

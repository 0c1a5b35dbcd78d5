wx.showToast({ title: 'ok' })
wx.getStorageSync('k')
wx.nextTick(() => {})
wx.getLogManager().info('x')
if (wx.canIUse('scanCode')) console.log('never here')
wx.notAWeChatMethod = 1

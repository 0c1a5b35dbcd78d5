wx.scanCode({ success() {} })
const q = wx.createSelectorQuery()
const { onCompassChange } = wx
sf['getBatteryInfoSync']()

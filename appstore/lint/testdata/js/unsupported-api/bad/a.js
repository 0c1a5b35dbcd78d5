wx.scanCode({ success() {} })
const q = wx.createCameraContext()
const { onCompassChange } = wx
sf['getBatteryInfoSync']()

// Exercises the device and app APIs through the whole path (logic → gateway → handler);
// results go to `result` for the tests.
Page({
  data: { result: '' },

  async device() {
    const w = wx.getWindowInfo()
    const d = wx.getDeviceInfo()
    const b = wx.getAppBaseInfo()
    const s = wx.getSystemSetting()
    const a = wx.getAppAuthorizeSetting()
    const m = wx.getMenuButtonBoundingClientRect()
    const l = wx.getLaunchOptionsSync()
    const e = wx.getEnterOptionsSync()
    const acc = wx.getAccountInfoSync()
    const v1 = await wx.vibrateShort({ type: 'light' })
    const n = await wx.getNetworkType()
    const out = [
      'window=' + w.windowWidth + 'x' + w.windowHeight + ' safe=' + w.safeArea.width,
      'device=' + d.platform + ' ' + typeof d.brand,
      'base=' + b.SDKVersion + ' ' + b.theme,
      'setting=' + s.bluetoothEnabled + ' ' + s.deviceOrientation,
      'auth=' + a.locationAuthorized + ' ' + a.cameraAuthorized,
      'menu=' + (m.right - m.left) + ' ' + (m.right <= w.windowWidth),
      'launch=' + l.path + ' ' + l.scene + ' enter=' + e.path,
      'account=' + acc.miniProgram.appId + ' ' + acc.miniProgram.envVersion + ' ' + acc.miniProgram.version,
      'vibrate=' + v1.errMsg,
      'network=' + n.networkType,
    ]
    wx.vibrateLong({ success: r => {
      wx.stopPullDownRefresh({ complete: r2 => {
        out.push(r.errMsg, r2.errMsg)
        this.setData({ result: out.join('|') })
      } })
    } })
  },

  async batch() {
    const out = []
    await wx.batchSetStorage({ kvList: [{ key: 'a', value: 1 }, { key: 'b', value: { x: [2] } }] })
    const r = await wx.batchGetStorage({ keyList: ['a', 'b', 'missing'] })
    out.push(JSON.stringify(r.dataList))
    wx.batchSetStorageSync([{ key: 'c', value: 'three' }])
    out.push(JSON.stringify(wx.batchGetStorageSync(['c', 'a'])))
    try { wx.batchSetStorageSync([{ value: 1 }]) } catch (e) { out.push(e.message) }
    await wx.batchGetStorage({ keyList: 'a' }).catch(e => out.push(e.errMsg))
    this.setData({ result: out.join('|') })
  },
})

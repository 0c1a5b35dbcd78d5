function add(list, name) { return list.indexOf(name + ' ') >= 0 ? list : list + name + ' '; }

Page({
  data: { vEvents: '', vError: '', badError: '', vTime: '', aEvents: '', aState: '', aError: '', full: '' },
  onReady() { this.video = wx.createVideoContext('v'); },
  onV(e) { this.setData({ vEvents: add(this.data.vEvents, e.type) }); },
  onVTime(e) { this.setData({ vEvents: add(this.data.vEvents, 'timeupdate'), vTime: e.detail.duration > 0 ? 'has duration' : '' }); },
  onVError(e) { this.setData({ vEvents: add(this.data.vEvents, 'error'), vError: e.detail.errMsg }); },
  onBadError(e) { this.setData({ badError: e.detail.errMsg ? 'error' : '' }); },
  onFull(e) { this.setData({ full: JSON.stringify(e.detail) }); },
  playVideo() { this.video.play(); },
  pauseVideo() { this.video.pause(); },
  fullVideo() { this.video.requestFullScreen({ direction: 90 }); },
  exitVideo() { this.video.exitFullScreen(); },
  playAudio() {
    const a = this.audio || (this.audio = wx.createInnerAudioContext());
    const log = (name) => () => this.setData({ aEvents: add(this.data.aEvents, name) });
    a.onCanplay(log('canplay'));
    a.onPlay(log('play'));
    a.onTimeUpdate(log('timeupdate'));
    a.onEnded(() => { log('ended')(); this.setData({ aState: 'ended at ' + (a.currentTime > 0 ? 'some time' : 'zero') + ', paused ' + a.paused }); });
    a.onError((err) => { log('error')(); this.setData({ aError: JSON.stringify(err) }); });
    a.src = '/media/tone.wav';
    a.play();
  },
  badAudio() {
    const b = wx.createInnerAudioContext();
    b.onError((err) => { this.setData({ aError: 'code ' + err.errCode }); b.destroy(); });
    b.src = 'media/missing.wav';
    b.play();
  }
});

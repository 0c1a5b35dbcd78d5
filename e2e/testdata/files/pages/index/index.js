// The file APIs as an app uses them (e2e/files_test.go): a FileSystemManager round
// trip, escapes, the quota, a download shown in <image>, its upload, and a chosen image.
const fs = wx.getFileSystemManager();
const usr = wx.env.USER_DATA_PATH;

Page({
  data: { out: 'ready', imgState: '', src: '' },
  setURL(e) { this.url = e.detail.value; },
  roundTrip() {
    fs.mkdirSync(usr + '/a/b', true);
    fs.writeFileSync(usr + '/a/b/n.txt', 'hello', 'utf8');
    const read = fs.readFileSync(usr + '/a/b/n.txt', 'utf8');
    const st = fs.statSync(usr + '/a/b/n.txt');
    const names = fs.readdirSync(usr + '/a').join(',');
    fs.unlinkSync(usr + '/a/b/n.txt');
    let gone = '';
    try { fs.accessSync(usr + '/a/b/n.txt'); } catch (e) { gone = 'gone'; }
    this.setData({ out: [read, st.isFile(), st.size, names, gone].join(' ') });
  },
  escape() {
    const out = [];
    [usr + '/../../etc/passwd', '/etc/passwd', 'file:///etc/passwd'].forEach((p) => {
      try { fs.readFileSync(p, 'utf8'); out.push('READ'); } catch (e) { out.push(e.message); }
    });
    try { fs.writeFileSync(usr + '/../x', 'x'); out.push('WROTE'); } catch (e) { out.push(e.message); }
    this.setData({ out: out.join(' | ') });
  },
  quota() {
    const chunk = new Array(100 * 1024 / 8 + 1).join('01234567');
    let n = 0;
    try {
      for (; n < 20; n++) fs.writeFileSync(usr + '/big' + n, chunk);
      this.setData({ out: 'no quota' });
    } catch (e) {
      this.setData({ out: n + ' ' + e.message });
    }
  },
  download() {
    this.setData({ out: 'downloading' });
    const task = wx.downloadFile({
      url: this.url + '/picture.png',
      success: (r) => {
        this.tmp = r.tempFilePath;
        this.setData({ out: r.statusCode + ' ' + r.tempFilePath.slice(0, 13) + ' ' + (this.lastProgress || 0), src: r.tempFilePath });
      },
      fail: (e) => this.setData({ out: e.errMsg }),
    });
    task.onProgressUpdate((p) => { this.lastProgress = p.progress; });
  },
  upload() {
    wx.uploadFile({
      url: this.url + '/upload', filePath: this.tmp, name: 'picture', formData: { from: 'e2e' },
      success: (r) => this.setData({ out: r.statusCode + ' ' + r.data }),
      fail: (e) => this.setData({ out: e.errMsg }),
    });
  },
  choose() {
    wx.chooseImage({
      count: 1,
      success: (r) => {
        wx.getImageInfo({
          src: r.tempFilePaths[0],
          success: (i) => this.setData({ out: 'chose ' + i.width + 'x' + i.height + ' ' + i.type, src: r.tempFilePaths[0], imgState: '' }),
        });
      },
      fail: (e) => this.setData({ out: e.errMsg }),
    });
  },
  loaded(e) { this.setData({ imgState: 'loaded ' + e.detail.width + 'x' + e.detail.height }); },
  broken(e) { this.setData({ imgState: 'broken ' + e.detail.errMsg }); },
});

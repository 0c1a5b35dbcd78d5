// Exercises the FileSystemManager and the transfer tasks the way apps call them; each
// handler puts what it saw in data.result (host/files_test.go reads it).
const fs = wx.getFileSystemManager();
const dir = wx.env.USER_DATA_PATH + '/notes';

Page({
  data: { result: '' },
  roundTrip() {
    const out = [];
    fs.mkdirSync(dir, true);
    fs.writeFileSync(dir + '/a.txt', 'hello', 'utf8');
    fs.appendFileSync(dir + '/a.txt', ' world');
    out.push(fs.readFileSync(dir + '/a.txt', 'utf8'));
    const buf = new Uint8Array([0, 1, 254, 255]).buffer;
    fs.writeFileSync(dir + '/b.bin', buf);
    const back = new Uint8Array(fs.readFileSync(dir + '/b.bin'));
    out.push(back instanceof Uint8Array && back.length === 4 && back[2] === 254 ? 'binary ok' : 'binary ' + back);
    const st = fs.statSync(dir + '/a.txt');
    out.push(st.isFile() + ',' + st.isDirectory() + ',' + st.size);
    out.push(fs.readdirSync(dir).join('+'));
    fs.unlinkSync(dir + '/b.bin');
    try { fs.readFileSync(dir + '/b.bin'); } catch (e) { out.push(e.message); }
    try { fs.writeFileSync(wx.env.USER_DATA_PATH + '/../escape.txt', 'x'); } catch (e) { out.push(e.message); }
    try { fs.accessSync('/etc/passwd'); } catch (e) { out.push(e.message); }
    fs.readFile({
      filePath: dir + '/a.txt', encoding: 'base64',
      success: (r) => {
        out.push(r.data + ' ' + r.errMsg);
        fs.stat({
          path: dir, recursive: true,
          success: (s) => {
            out.push(s.stats.map((e) => e.path + ':' + e.stats.isDirectory()).join(' '));
            fs.readdir({ dirPath: '/nope', fail: (e) => { out.push(e.errMsg); this.setData({ result: out.join(' | ') }); } });
          },
        });
      },
    });
  },
  transfer(e) {
    const base = e.detail.value;
    const task = wx.downloadFile({
      url: base + '/big.png',
      success: (r) => {
        const seen = this.progress || [];
        wx.uploadFile({
          url: base + '/upload', filePath: r.tempFilePath, name: 'file', formData: { who: 'files' },
          success: (u) => this.setData({ result: r.statusCode + ' ' + (seen.length > 0 ? 'progress ' + seen[seen.length - 1] : 'no progress') + ' ' + u.data + ' ' + u.errMsg }),
          fail: (err) => this.setData({ result: 'upload ' + err.errMsg }),
        });
      },
      fail: (err) => this.setData({ result: 'download ' + err.errMsg }),
    });
    this.progress = [];
    task.onProgressUpdate((p) => this.progress.push(p.progress + '/' + p.totalBytesExpectedToWrite));
  },
  abort(e) {
    const task = wx.downloadFile({
      url: e.detail.value + '/slow',
      success: () => this.setData({ result: 'finished?' }),
      fail: (err) => this.setData({ result: err.errMsg }),
    });
    task.onProgressUpdate(() => task.abort());
  },
  quota() {
    const big = new Array(120 * 1024 / 8 + 1).join('01234567');
    try {
      fs.writeFileSync(wx.env.USER_DATA_PATH + '/big1', big);
      fs.writeFileSync(wx.env.USER_DATA_PATH + '/big2', big);
      this.setData({ result: 'no quota' });
    } catch (err) {
      this.setData({ result: err.message });
    }
  },
  canIUse() {
    this.setData({ result: [wx.canIUse('getFileSystemManager'), wx.canIUse('downloadFile'), wx.canIUse('readFile'), typeof wx.readFile].join(',') });
  },
});

package logic

import (
	"encoding/json"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// mediaOps lists the media ops of a push as "target id cmd args".
func mediaOps(t *testing.T, r bridge.Render) []string {
	t.Helper()
	var out []string
	for _, op := range r.Ops {
		if op.Op == "media" {
			out = append(out, op.Target+" "+op.ID+" "+op.Cmd+" "+string(op.Args))
		}
	}
	if err := bridge.CheckRender(&r); err != nil {
		t.Errorf("the push does not pass the bridge's check: %v", err)
	}
	return out
}

// A video context's methods become media ops in the push, after the setData of the
// same turn, naming the page (or the component given) whose template has the element.
func TestVideoContextSendsMediaOps(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({
  data: {src: ''},
  go() {
    const v = wx.createVideoContext('v');
    this.setData({src: '/m/a.mp4'});
    v.play(); v.seek('12.5'); v.playbackRate(1.5); v.pause(); v.stop();
    v.requestFullScreen({direction: 90, success: () => console.log('full ok')});
    v.exitFullScreen();
    wx.createAudioContext('au').setSrc('/m/b.mp3');
  },
});`,
	}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "go", `{}`)
	r := a.host.nextRender(t)
	if r.Ops[0].Op != "data" {
		t.Errorf("first op = %q, want the setData before the commands", r.Ops[0].Op)
	}
	want := []string{
		`p1 v play {}`, `p1 v seek {"position":12.5}`, `p1 v playbackRate {"rate":1.5}`, `p1 v pause {}`,
		`p1 v stop {}`, `p1 v requestFullScreen {}`, `p1 v exitFullScreen {}`, `p1 au setSrc {"src":"/m/b.mp3"}`,
	}
	if got := mediaOps(t, r); jsonString(t, got) != jsonString(t, want) {
		t.Errorf("media ops:\n got  %v\n want %v", got, want)
	}
	a.logs.waitConsole(t, "full ok")
}

// An InnerAudioContext sends its settings and commands as ops for target "app", and
// its element's reports (host "media" events) reach its listeners and properties.
func TestInnerAudioContext(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `let ctx;
Page({
  go() {
    ctx = wx.createInnerAudioContext();
    ctx.onPlay(() => console.log('played at ' + ctx.currentTime + ' of ' + ctx.duration + ' paused ' + ctx.paused));
    ctx.onError((e) => console.log('error ' + e.errCode + ' ' + e.errMsg));
    const once = () => console.log('ended once');
    ctx.onEnded(once);
    ctx.onEnded(() => { console.log('ended two'); ctx.offEnded(once); });
    ctx.loop = 'yes';
    ctx.volume = 7;
    ctx.src = '/m/a.wav';
    ctx.play();
    console.log('canIUse ' + wx.canIUse('createInnerAudioContext') + ' src ' + ctx.src + ' volume ' + ctx.volume);
  },
  end() { ctx.destroy(); ctx.play(); console.log('destroyed'); },
});`,
	}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "go", `{}`)
	r := a.host.nextRender(t)
	want := []string{
		`app a1 set {"loop":true}`, `app a1 set {"volume":1}`,
		`app a1 src {"src":"/m/a.wav","autoplay":false,"loop":true,"volume":1,"startTime":0,"playbackRate":1}`,
		`app a1 play {}`,
	}
	if got := mediaOps(t, r); jsonString(t, got) != jsonString(t, want) {
		t.Errorf("media ops:\n got  %v\n want %v", got, want)
	}
	a.logs.waitConsole(t, "canIUse true src /m/a.wav volume 1")
	a.ack(t, r.Seq)
	media := func(detail string) {
		a.deliver(t, bridge.KindEvent, map[string]any{"target": "host", "handler": "media",
			"event": map[string]any{"type": "tap", "timeStamp": 1, "detail": json.RawMessage(detail),
				"target": map[string]any{"id": "", "dataset": map[string]any{}}, "currentTarget": map[string]any{"id": "", "dataset": map[string]any{}}}})
	}
	media(`{"id":"a1","type":"play","currentTime":0.25,"duration":0.6,"paused":false,"buffered":100}`)
	a.logs.waitConsole(t, "played at 0.25 of 0.6 paused false")
	media(`{"id":"a1","type":"ended","currentTime":0.6,"duration":0.6,"paused":true,"buffered":100}`)
	a.logs.waitConsole(t, "ended two")
	media(`{"id":"a1","type":"ended","currentTime":0.6,"duration":0.6,"paused":true,"buffered":100}`)
	media(`{"id":"a1","type":"error","currentTime":0,"duration":0,"paused":true,"buffered":0,"errMsg":"MediaError: gone","errCode":10003}`)
	a.logs.waitConsole(t, "error 10003 MediaError: gone")
	n := 0
	for _, l := range a.logs.console() {
		if l == "ended once" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("offEnded: the removed listener ran %d times, want 1", n)
	}
	// Reports for an unknown context are dropped.
	media(`{"id":"a9","type":"play","currentTime":0,"duration":0,"paused":false,"buffered":0}`)
	a.event(t, "p1", "end", `{}`)
	a.logs.waitConsole(t, "destroyed")
	r = a.host.nextRender(t)
	if got := mediaOps(t, r); jsonString(t, got) != `["app a1 destroy {}"]` {
		t.Errorf("after destroy: %v, want only the destroy", got)
	}
}

package logic

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/assets"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/internal/hostapi/all"
)

// The host passes every shape of the registry and the page's components; so do the tests.
var (
	testAPIs     = all.Shapes()
	testBuiltins = assets.Components()
)

// Every method of WeChat's Wx interface is a function on wx, and every host API the
// registry implements is one WeChat's list or sf's own names.
func TestEveryWxMethodExists(t *testing.T) {
	names := make([]string, 0, len(hostapi.WxMethods()))
	for _, m := range hostapi.WxMethods() {
		names = append(names, fmt.Sprintf("%q", m.Name))
	}
	a := startApp(t, mapApp(map[string]string{"pages/a/a.js": `Page({
  walk(e) {
    const names = e.detail;
    const missing = names.filter(n => typeof wx[n] !== 'function');
    console.log('missing=' + missing.length + ' ' + missing.slice(0, 5).join(','));
  },
});`}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "walk", "["+strings.Join(names, ",")+"]")
	a.logs.waitConsole(t, "missing=0 ")

	supported := 0
	for _, m := range hostapi.WxMethods() {
		if hostapi.Supported(m.Name) {
			supported++
		}
	}
	t.Logf("typings: %d methods present, %d supported, %d answer \"not supported\"; %d built-in components",
		len(hostapi.WxMethods()), supported, len(hostapi.WxMethods())-supported, len(testBuiltins))
}

func TestUnsupportedAnswersLikeAnOldClient(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{"pages/a/a.js": `Page({
  run() {
    const out = [];
    const log = s => out.push(s);
    // async: callbacks, later; or a rejected promise
    let sync = true;
    const r = wx.scanCode({ fail(e) { log('fail:' + e.errMsg + ':' + sync); }, complete(e) { log('complete'); } });
    sync = false;
    log('ret=' + typeof r);
    wx.scanCode().catch(e => log('rejected:' + e.errMsg));
    // Sync and value getters throw
    try { wx.getBatteryInfoSync(); log('no throw'); } catch (e) { log('threw:' + e.message + ':' + (e instanceof Error)); }
    // events accept the callback and do nothing
    log('on=' + typeof wx.onCompassChange(() => log('never')) + ',' + typeof wx.offCompassChange());
    // factories: an inert object whose methods chain and fail their callbacks
    const q = wx.createCameraContext();
    log('chain=' + (q.setZoom({ zoom: 2 }) === q) + ',then=' + typeof q.then);
    q.takePhoto({ fail(e) { log('method:' + e.errMsg); } });
    q.onCameraFrame(() => log('never'));
    // a task-returning API fails its callbacks and returns the inert task
    const task = wx.createUDPSocket({ fail(e) { log('task:' + e.errMsg); } });
    log('task.close=' + typeof task.close);
    wx.getRendererUserAgent().catch(e => log('promise:' + e.errMsg));
    log('call=' + typeof wx.reportAnalytics('x', {}));
    // wx.cloud: init works, calls fail, the database chains
    log('cloud.init=' + typeof wx.cloud.init({ env: 'x' }));
    wx.cloud.callFunction({ name: 'f' }).catch(e => log('cloud:' + e.errMsg));
    log('db=' + typeof wx.cloud.database().collection('c').where({}).get);
    log('Cloud=' + typeof new wx.cloud.Cloud({}).init);
    setTimeout(() => console.log(out.join('|')), 0);
  },
});`}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "run", "{}")
	line := a.logs.waitConsole(t, "ret=undefined")
	for _, want := range []string{
		"fail:scanCode:fail not supported on this platform:false", "complete",
		"rejected:scanCode:fail not supported on this platform",
		"threw:getBatteryInfoSync:fail not supported on this platform:true",
		"on=undefined,undefined", "chain=true,then=undefined",
		"method:createCameraContext.takePhoto:fail not supported on this platform",
		"task:createUDPSocket:fail not supported on this platform", "task.close=function",
		"promise:getRendererUserAgent:fail not supported on this platform", "call=undefined",
		"cloud.init=undefined", "cloud:cloud.callFunction:fail not supported on this platform",
		"db=function", "Cloud=function",
	} {
		if !strings.Contains(line, want) {
			t.Errorf("missing %q in %s", want, line)
		}
	}
	if strings.Contains(line, "never") || strings.Contains(line, "no throw") {
		t.Errorf("a stand-in did something: %s", line)
	}
}

func TestCanIUse(t *testing.T) {
	cases := []struct {
		schema string
		want   bool
	}{
		{"showToast", true},
		{"showToast.object.title", true},
		{"showToast.object.icon", true},
		{"showToast.object.nope", false},
		{"showModal.object.editable", true}, // ui/ui.go reads it
		{"showActionSheet.object.itemList", true},
		{"showModal.object.nope", false},
		{"showModal.object.content", true},
		{"getSystemInfoSync.return.screenWidth", true},
		{"request.object.url", true},
		{"nextTick", true},
		{"getLogManager", true},
		{"getSystemInfoAsync", true},
		{"canIUse", true},
		{"scanCode", false},           // a stand-in is not support
		{"createSelectorQuery", true}, // logic/js/query.js
		{"createSelectorQuery.return", false},
		{"onAppShow", true},        // the framework's own
		{"onMemoryWarning", false}, // an event stand-in
		{"view", true},
		{"button", true},
		{"button.size", true},
		{"button.open-type.getUserInfo", false},
		{"scroll-view.scroll-into-view", true},
		{"video", true},
		{"editor", false},
		{"createInnerAudioContext", true},
		{"map", false},
		{"", false},
		{"nope", false},
	}
	var js strings.Builder
	js.WriteString("[")
	for i, c := range cases {
		if i > 0 {
			js.WriteString(",")
		}
		fmt.Fprintf(&js, "%q", c.schema)
	}
	js.WriteString("]")
	a := startApp(t, mapApp(map[string]string{"pages/a/a.js": `Page({
  ask(e) { const list = e.detail; console.log('canIUse ' + list.map(s => wx.canIUse(s) ? 1 : 0).join('') + ' ' + wx.canIUse(42) + ' ' + wx.canIUse()); },
});`}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "ask", js.String())
	line := a.logs.waitConsole(t, "canIUse ")
	got := strings.Fields(line)[1]
	for i, c := range cases {
		if (got[i] == '1') != c.want {
			t.Errorf("wx.canIUse(%q) = %v, want %v", c.schema, got[i] == '1', c.want)
		}
	}
	if !strings.HasSuffix(line, "false false") {
		t.Errorf("canIUse of a non-string: %s", line)
	}
}

// An app may wrap a stand-in or add to wx, as it may any member.
func TestStandInsAreTheAppsToWrap(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{"pages/a/a.js": `Page({
  run() {
    wx.scanCode = function () { return 'mine'; };
    console.log('wrapped=' + wx.scanCode());
  },
});`}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "run", "{}")
	a.logs.waitConsole(t, "wrapped=mine")
}

func TestLogManagersWriteToTheShellsLog(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{"pages/a/a.js": `Page({
  run() {
    wx.getLogManager().warn('disk', { free: 1 });
    const rt = wx.getRealtimeLogManager();
    rt.in(this).error('boom', 2);
    rt.setFilterMsg('x');
  },
});`}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "run", "{}")
	a.logs.waitConsole(t, `[log] disk {"free":1}`)
	a.logs.waitConsole(t, "[realtime] boom 2")
}

func TestBase64Helpers(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{"pages/a/a.js": `Page({
  run() {
    const out = [];
    for (const s of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) {
      const bytes = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
      const b64 = wx.arrayBufferToBase64(bytes.buffer);
      const back = new Uint8Array(wx.base64ToArrayBuffer(b64));
      out.push(b64 + ':' + String.fromCharCode.apply(null, back));
    }
    out.push(wx.arrayBufferToBase64(new Uint8Array([0, 255, 128]).subarray(1)));
    try { wx.base64ToArrayBuffer('a$b'); } catch (e) { out.push(e.name); }
    console.log('b64 ' + out.join(','));
  },
});`}))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "run", "{}")
	line := a.logs.waitConsole(t, "b64 ")
	want := "b64 :,Zg==:f,Zm8=:fo,Zm9v:foo,Zm9vYg==:foob,Zm9vYmE=:fooba,Zm9vYmFy:foobar,/4A=,TypeError"
	if line != want {
		t.Errorf("got  %s\nwant %s", line, want)
	}
}

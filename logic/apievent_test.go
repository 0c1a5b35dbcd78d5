package logic

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

var socketApp = map[string]string{
	"pages/a/a.js": `Page({
  run() {
    const task = wx.connectSocket({ url: 'wss://api.example.com/ws', protocols: ['chat'],
      success(r) { console.log('connect ' + r.errMsg + ' id=' + r.socketTaskId); } });
    console.log('task ' + typeof task.send + ' ' + typeof task.onMessage + ' then=' + typeof task.then);
    task.onOpen(r => {
      console.log('open ' + r.header['X-Srv']);
      task.send({ data: 'hi' });
      task.send({ data: new Uint8Array([1, 2, 255]).buffer, success(r) { console.log('sent ' + r.errMsg); } });
    });
    wx.onSocketOpen(() => console.log('global open'));
    task.onMessage(m => console.log('message ' + (typeof m.data === 'string' ? m.data : 'bytes ' + Array.from(new Uint8Array(m.data)).join(','))));
    task.onError(e => console.log('error ' + e.errMsg));
    task.onClose(c => { console.log('close ' + c.code + ' ' + c.reason); wx.sendSocketMessage({ data: 'x', fail(e) { console.log('after close ' + e.errMsg); } }); });
    wx.onNetworkStatusChange(s => console.log('net ' + s.isConnected + ' ' + s.networkType));
    wx.onNetworkStatusChange(s => console.log('net2 ' + s.networkType));
  },
  stop() { wx.closeSocket({ code: 4000, reason: 'bye' }); },
  canIUse() {
    console.log('can ' + ['connectSocket', 'onSocketMessage', 'offNetworkStatusChange', 'connectSocket.object.protocols'].map(n => wx.canIUse(n)).join(','));
  },
});`,
}

// The task layer: the SocketTask returned at once, events that overtake the connect
// answer, ArrayBuffers both ways, the global forms on the latest socket, network status
// listeners; and logic refuses events no declaration lists.
func TestSocketTaskLayer(t *testing.T) {
	a := startApp(t, mapApp(socketApp))
	a.launch(t, "pages/a/a")
	a.event(t, "p1", "run", `{}`)
	a.logs.waitConsole(t, "task function function then=undefined")
	conn := a.host.nextAPI(t)
	if conn.Name != "connectSocket" || string(conn.Args) != `{"url":"wss://api.example.com/ws","protocols":["chat"]}` {
		t.Fatalf("connect call %s %s", conn.Name, conn.Args)
	}
	sub := a.host.nextAPI(t)
	if sub.Name != "onNetworkStatusChange" {
		t.Fatalf("subscription call %s", sub.Name)
	}
	// The socket opens before the connect call's answer arrives: the layer keeps the
	// event until it knows the task.
	ev := func(event, data string) {
		a.deliver(t, bridge.KindAPIEvent, bridge.APIEvent{API: "connectSocket", Task: 7, Event: event, Data: json.RawMessage(data)})
	}
	ev("open", `{"header":{"X-Srv":"s1"}}`)
	a.deliver(t, bridge.KindAPIResult, bridge.APIResult{ID: conn.ID, OK: true, Result: json.RawMessage(`{"errMsg":"connectSocket:ok","socketTaskId":7}`)})
	a.logs.waitConsole(t, "connect connectSocket:ok id=7")
	a.logs.waitConsole(t, "open s1")
	a.logs.waitConsole(t, "global open")
	if c := a.host.nextAPI(t); c.Name != "sendSocketMessage" || string(c.Args) != `{"socketTaskId":7,"data":"hi"}` {
		t.Errorf("text send %s %s", c.Name, c.Args)
	}
	bin := a.host.nextAPI(t)
	if bin.Name != "sendSocketMessage" || string(bin.Args) != `{"socketTaskId":7,"data":"AQL/","binary":true}` {
		t.Errorf("binary send %s %s", bin.Name, bin.Args)
	}
	a.deliver(t, bridge.KindAPIResult, bridge.APIResult{ID: bin.ID, OK: true, Result: json.RawMessage(`{"errMsg":"sendSocketMessage:ok"}`)})
	a.logs.waitConsole(t, "sent sendSocketMessage:ok")
	ev("message", `{"data":"hello"}`)
	a.logs.waitConsole(t, "message hello")
	ev("message", `{"data":"AQL/","binary":true}`)
	a.logs.waitConsole(t, "message bytes 1,2,255")

	// Events no declaration lists never reach the app.
	for _, bad := range []bridge.APIEvent{
		{API: "connectSocket", Task: 7, Event: "progress", Data: json.RawMessage(`{}`)},
		{API: "request", Task: 7, Event: "message", Data: json.RawMessage(`{}`)},
		{API: "connectSocket", Task: 7, Event: "message", Data: json.RawMessage(`"str"`)},
	} {
		if _, err := a.rt.inbound(envelope(t, bridge.KindAPIEvent, bad)); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}

	// The global close acts on the latest socket.
	a.event(t, "p1", "stop", `{}`)
	if c := a.host.nextAPI(t); c.Name != "closeSocket" || string(c.Args) != `{"code":4000,"reason":"bye","socketTaskId":7}` {
		t.Errorf("close %s %s", c.Name, c.Args)
	}
	ev("close", `{"code":4000,"reason":"bye"}`)
	a.logs.waitConsole(t, "close 4000 bye")
	late := a.host.nextAPI(t)
	if late.Name != "sendSocketMessage" || !strings.Contains(string(late.Args), `"socketTaskId":7`) {
		t.Errorf("send after close %s %s", late.Name, late.Args)
	}
	a.deliver(t, bridge.KindAPIResult, bridge.APIResult{ID: late.ID, OK: false, Result: json.RawMessage(`{"errMsg":"sendSocketMessage:fail WebSocket is not connected"}`)})
	a.logs.waitConsole(t, "after close sendSocketMessage:fail WebSocket is not connected")

	a.deliver(t, bridge.KindAPIEvent, bridge.APIEvent{API: "onNetworkStatusChange", Event: "change", Data: json.RawMessage(`{"isConnected":false,"networkType":"none"}`)})
	a.logs.waitConsole(t, "net false none")
	a.logs.waitConsole(t, "net2 none")

	a.event(t, "p1", "canIUse", `{}`)
	a.logs.waitConsole(t, "can true,true,true,true")
}

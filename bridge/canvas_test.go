package bridge

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCheckCanvasDraw(t *testing.T) {
	ok := `{"kind":"legacy","canvasId":"c","cmds":[["fillStyle","#f00"],["fillRect",0,0,10,10],["arc",1,2,3,0,6.28,true],` +
		`["fillStyle",["linear",0,0,1,1,[[0,"red"],[1,"blue"]]]],["strokeStyle",["pattern","/a.png","repeat-x"]],` +
		`["setLineDash",[1,2]],["drawImage","/a.png",0,0],["putImageData",[1,1,"AAAAAA=="],0,0],["fill","evenodd"],["stroke"]]}`
	if err := CheckCanvasDraw(json.RawMessage(ok)); err != nil {
		t.Fatalf("valid draw refused: %v", err)
	}
	for _, c := range []struct{ draw, want string }{
		{`{"kind":"3d","id":"c","cmds":[]}`, `kind: "3d"`},
		{`{"kind":"2d","cmds":[]}`, "names no canvas"},
		{`{"kind":"2d","id":"c","cmds":[],"code":"alert(1)"}`, "unknown field"},
		{`{"kind":"2d","id":"c","cmds":[["eval","x"]]}`, `cmds[0]: "eval" is not a drawing command`},
		{`{"kind":"2d","id":"c","cmds":[["constructor"]]}`, "is not a drawing command"},
		{`{"kind":"2d","id":"c","cmds":[["fillRect",0,0,10]]}`, "fillRect takes 4 to 4 arguments, not 3"},
		{`{"kind":"2d","id":"c","cmds":[["fillRect",0,0,10,"10"]]}`, "argument 4: must be a number"},
		{`{"kind":"2d","id":"c","cmds":[["fillRect",0,0,10,1e12]]}`, "out of range"},
		{`{"kind":"2d","id":"c","cmds":[["fillStyle",{"toString":1}]]}`, "must be a colour, a gradient or a pattern"},
		{`{"kind":"2d","id":"c","cmds":[["fillStyle",["conic",1,2,3,[]]]]}`, "must be a colour, a gradient or a pattern"},
		{`{"kind":"2d","id":"c","cmds":[["font","` + strings.Repeat("x", MaxCanvasString+1) + `"]]}`, "longer than 4096"},
		{`{"kind":"2d","id":"c","cmds":[["putImageData",[0,1,""],0,0]]}`, "whole numbers from 1"},
		{`{"kind":"2d","id":"c","cmds":[{"op":"fillRect"}]}`, "is not an array"},
	} {
		err := CheckCanvasDraw(json.RawMessage(c.draw))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.60s: err = %v, want %q", c.draw, err, c.want)
		}
	}
	// The same check runs on a render push from a logic child.
	r := Render{Seq: 1, Ops: []RenderOp{{Op: "canvas", Target: "p1", Page: "p1", Canvas: json.RawMessage(`{"kind":"2d","id":"c","cmds":[["eval"]]}`)}}}
	if err := CheckRender(&r); err == nil || !strings.Contains(err.Error(), "payload.ops[0].canvas") {
		t.Fatalf("CheckRender = %v", err)
	}
}

func TestDecodeCanvasData(t *testing.T) {
	env, err := DecodePage([]byte(`{"v":1,"kind":"canvasData","payload":{"id":3,"ok":true,"data":"iVBORw0=","more":true}}`), Limits{})
	if err != nil || env.Kind != KindCanvasData {
		t.Fatalf("DecodePage = %v, %v", env.Kind, err)
	}
	for _, c := range []struct{ msg, want string }{
		{`{"v":1,"kind":"canvasData","payload":{"id":0,"ok":true}}`, "request id"},
		{`{"v":1,"kind":"canvasData","payload":{"id":1,"ok":true,"data":"<script>"}}`, "not base64"},
		{`{"v":1,"kind":"canvasData","payload":{"id":1,"ok":true,"data":"` + strings.Repeat("A", MaxCanvasChunk+4) + `"}}`, "more than"},
		{`{"v":1,"kind":"canvasData","payload":{"id":1,"ok":true,"seq":2}}`, "unknown field"},
		{`{"v":1,"kind":"canvasRead","payload":{"id":1}}`, `a page may not send "canvasRead"`},
	} {
		if _, err := DecodePage([]byte(c.msg), Limits{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.70s: err = %v, want %q", c.msg, err, c.want)
		}
	}
}

func TestDecodeTouches(t *testing.T) {
	ev := func(touches string) []byte {
		return []byte(`{"v":1,"kind":"event","payload":{"target":"page","handler":"onTouch","event":{"type":"touchstart","timeStamp":1,` +
			`"target":{"id":"c","dataset":{}},"currentTarget":{"id":"c","dataset":{}},"touches":` + touches + `,"changedTouches":[]}}}`)
	}
	env, err := DecodePage(ev(`[{"identifier":0,"pageX":1,"pageY":2,"clientX":1,"clientY":2,"x":150,"y":110}]`), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(env.Payload), `"x":150`) {
		t.Fatalf("touches lost: %s", env.Payload)
	}
	for _, bad := range []string{`[{"x":"1"}]`, `[{"z":1}]`, `{"x":1}`, `[` + strings.Repeat(`{"x":1},`, 10) + `{"x":1}]`} {
		if _, err := DecodePage(ev(bad), Limits{}); err == nil {
			t.Errorf("touches %s accepted", bad)
		}
	}
}

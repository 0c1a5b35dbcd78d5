package logic

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// canvasOps returns the canvas ops of r, decoded, after checking the push as the
// bridge checks one from a logic child.
func canvasOps(t *testing.T, r bridge.Render) []bridge.CanvasDraw {
	t.Helper()
	if err := bridge.CheckRender(&r); err != nil {
		t.Fatalf("push %d fails the bridge's check: %v", r.Seq, err)
	}
	var out []bridge.CanvasDraw
	for _, op := range r.Ops {
		if op.Op != "canvas" {
			continue
		}
		var d bridge.CanvasDraw
		if err := json.Unmarshal(op.Canvas, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func cmdsJSON(t *testing.T, d bridge.CanvasDraw) string {
	t.Helper()
	b, err := json.Marshal(d.Cmds)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCanvasLegacyRecordsAndDraws(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({
			onLoad() {
				const ctx = wx.createCanvasContext('chart');
				ctx.setFillStyle('#ff0000');
				ctx.fillRect(0, 0, 10, 10);
				ctx.fillRect(NaN, 0, 10, 10); // dropped, as a browser ignores it
				ctx.setFontSize(20);
				ctx.setTextAlign('center');
				ctx.fillText('Hi', 5, 20);
				const g = ctx.createLinearGradient(0, 0, 100, 0);
				g.addColorStop(0, 'red');
				g.addColorStop(1, 'blue');
				ctx.setFillStyle(g);
				ctx.setShadow(1, 2, 3, 'gray');
				ctx.setLineDash([4, 2], 1);
				ctx.arc(50, 50, 10, 0, Math.PI * 2);
				ctx.drawImage('../../images/a.png', 0, 0, 20, 20);
				this.setData({ width: ctx.measureText('Hello').width, font: ctx.font, fill: typeof ctx.fillStyle,
					canIUse: [wx.canIUse('createCanvasContext'), wx.canIUse('canvasToTempFilePath'), wx.canIUse('canvasToTempFilePath.object.destWidth'), wx.canIUse('canvas')] });
				ctx.draw(false, () => this.setData({ drawn: true }));
			}
		})`,
	}))
	r := a.launch(t, "pages/a/a")
	ops := canvasOps(t, r)
	if len(ops) != 1 || ops[0].Kind != "legacy" || ops[0].CanvasID != "chart" || ops[0].Reserve {
		t.Fatalf("canvas ops = %+v", ops)
	}
	got := cmdsJSON(t, ops[0])
	want := `[["fillStyle","#ff0000"],["fillRect",0,0,10,10],["font","20px sans-serif"],["textAlign","center"],` +
		`["fillText","Hi",5,20],["fillStyle",["linear",0,0,100,0,[[0,"red"],[1,"blue"]]]],` +
		`["shadowOffsetX",1],["shadowOffsetY",2],["shadowBlur",3],["shadowColor","gray"],["setLineDash",[4,2]],["lineDashOffset",1],` +
		`["arc",50,50,10,0,6.283185307179586],["drawImage","/images/a.png",0,0,20,20]]`
	if got != want {
		t.Fatalf("commands\n got %s\nwant %s", got, want)
	}
	d := diffOf(t, r, "p1")
	// Hello in Helvetica: 722+556+222+222+556 thousandths of an em, at 20 px.
	if w, _ := d["width"].(float64); math.Abs(w-45.56) > 0.01 {
		t.Errorf("measureText('Hello').width = %v, want 45.56", d["width"])
	}
	if fmt.Sprint(d["canIUse"]) != "[true true true true]" {
		t.Errorf("canIUse = %v", d["canIUse"])
	}
	if d["font"] != "20px sans-serif" || d["fill"] != "object" {
		t.Errorf("state getters: %v", d)
	}
	if _, ok := d["drawn"]; ok {
		t.Fatal("draw's callback ran before the page drew")
	}
	a.ack(t, r.Seq)
	if next := a.host.nextRender(t); diffOf(t, next, "p1")["drawn"] != true {
		t.Fatalf("draw's callback did not run after the ack: %+v", next)
	}
}

func TestCanvas2DNodeRecordsPerTurn(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"components/chart/chart.js": `Component({ lifetimes: { attached() {
			const canvas = globalThis.__sfCanvasNode(this, { id: 'c', nodeId: 'n7', width: 100, height: 50 });
			if (canvas !== globalThis.__sfCanvasNode(this, { id: 'c', nodeId: 'n7', width: 100, height: 50 })) throw new Error('not the same Canvas');
			const ctx = canvas.getContext('2d');
			if (canvas.getContext('webgl') !== null || ctx.canvas !== canvas) throw new Error('getContext');
			canvas.width = 200;
			ctx.scale(2, 2);
			ctx.fillStyle = 'rgb(0, 128, 0)';
			ctx.fillRect(1, 2, 3, 4);
			ctx.lineWidth = -1; // ignored, as on the web
			const img = ctx.createImageData(1, 1);
			img.data[0] = 255; img.data[3] = 255;
			ctx.putImageData(img, 0, 0);
			let frames = 0;
			const step = () => { ctx.fillRect(frames, 0, 1, 1); if (++frames < 2) canvas.requestAnimationFrame(step); else this.triggerEvent('done', { w: canvas.width, h: canvas.height, lw: ctx.lineWidth }); };
			canvas.requestAnimationFrame(step);
		} } })`,
		"pages/a/a.js": `Page({ onDone(e) { this.setData({ done: e.detail }); } })`,
	}))
	a.launch(t, "pages/a/a")
	a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Attached: []bridge.ComponentReport{
		{ID: "c1", Page: "p1", Owner: "p1", Is: "components/chart/chart", NodeID: "chart", Events: map[string]string{"done": "onDone"}}}})
	r := a.host.nextRender(t)
	ops := canvasOps(t, r)
	if len(ops) != 1 || ops[0].Kind != "2d" || ops[0].ID != "c" || ops[0].Node != "n7" {
		t.Fatalf("canvas ops = %+v", ops)
	}
	if got, want := cmdsJSON(t, ops[0]), `[["size",200,50],["scale",2,2],["fillStyle","rgb(0, 128, 0)"],["fillRect",1,2,3,4],["putImageData",[1,1,"/wAA/w=="],0,0]]`; got != want {
		t.Fatalf("commands\n got %s\nwant %s", got, want)
	}
	for _, op := range r.Ops {
		if op.Op == "canvas" && (op.Target != "c1" || op.Page != "p1") {
			t.Fatalf("canvas op names owner %q on %q", op.Target, op.Page)
		}
	}
	var frames []string
	for len(frames) < 2 {
		r := a.host.nextRender(t)
		for _, d := range canvasOps(t, r) {
			frames = append(frames, cmdsJSON(t, d))
		}
	}
	if frames[0] != `[["fillRect",0,0,1,1]]` || frames[1] != `[["fillRect",1,0,1,1]]` {
		t.Fatalf("animation frames = %q", frames)
	}
	a.host.wait(t, "done", func() bool {
		raw, _ := a.rt.PageData("p1")
		return strings.Contains(string(raw), `"done":{"w":200,"h":50,"lw":1}`)
	})
}

func TestCanvasToTempFilePathSendsTheDrawingFirst(t *testing.T) {
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({ onLoad() {
			const ctx = wx.createCanvasContext('chart');
			ctx.fillRect(0, 0, 5, 5);
			ctx.draw();
			wx.canvasToTempFilePath({ canvasId: 'chart', x: 1, fileType: 'jpg', success: () => {} });
		} })`,
	}))
	a.deliver(t, bridge.KindNav, bridge.Nav{Action: "launch", Open: &bridge.NavOpen{Page: "p1", Route: "pages/a/a", Query: map[string]string{}}, Show: "p1", Stack: bridge.Stack{Pages: []bridge.PageRef{{ID: "p1"}}}})
	call := a.host.nextAPI(t)
	// The push with the drawing was sent before the call (flushNow), not at the turn's end.
	if r, ok := a.host.firstRender(); !ok || len(canvasOps(t, r)) != 1 {
		t.Fatal("the export was asked for before the drawing went to the page")
	}
	var args map[string]any
	if err := json.Unmarshal(call.Args, &args); err != nil {
		t.Fatal(err)
	}
	if call.Name != "canvasToTempFilePath" || args["owner"] != "p1" || args["page"] != "p1" || args["canvasId"] != "chart" || args["fileType"] != "jpg" {
		t.Fatalf("call = %s %s", call.Name, call.Args)
	}
}

func TestCanvasBoundsCommands(t *testing.T) {
	defer func(n int) { maxCanvasCommands = n }(maxCanvasCommands)
	maxCanvasCommands = 1000 // bridge.MaxCanvasCommands, scaled down for -race
	a := startApp(t, mapApp(map[string]string{
		"pages/a/a.js": `Page({ onLoad() {
			// Commands wait for draw() across tasks: four tasks record 1001.
			const ctx = wx.createCanvasContext('c');
			let left = 4;
			const chunk = () => {
				try { for (let i = 0; i < 251; i++) ctx.fillRect(0, 0, 1, 1); } catch (e) { this.setData({ err: e.message }); return; }
				if (--left > 0) setTimeout(chunk, 0); else this.setData({ err: 'no error' });
			};
			chunk();
		} })`,
	}))
	a.launch(t, "pages/a/a")
	r := a.host.nextRender(t)
	if err, _ := diffOf(t, r, "p1")["err"].(string); !strings.Contains(err, "more than 1000 drawing commands") {
		t.Fatalf("err = %q; log %q", err, a.logs.console())
	}
}

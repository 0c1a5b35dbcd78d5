package logic

import (
	"bytes"
	_ "embed"
	"fmt"
	"image"
	_ "image/gif"  // bundle image sizes for canvas.createImage
	_ "image/jpeg" // "
	_ "image/png"  // "
	"io/fs"
	"path"
	"sync"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/bridge"
)

// The canvas part of the framework (docs/canvas.md): wx.createCanvasContext, the 2d
// Canvas behind SelectorQuery's node(), wx.canvasToTempFilePath. It records drawing
// commands; this file puts them in the turn's render push as "canvas" ops.

//go:embed js/canvas.js
var canvasJS string

var (
	canvasOnce sync.Once
	canvasProg *goja.Program
	canvasErr  error
)

// MaxCanvasTurnBytes bounds the drawing one turn may send (the JSON of its canvas
// ops): a runaway loop of fillRect fails with an error instead of making a push the
// page would choke on.
const MaxCanvasTurnBytes = 8 << 20

// maxCanvasCommands bounds the commands one canvas records before they are drawn (a
// variable so that a test can lower it).
var maxCanvasCommands = bridge.MaxCanvasCommands

// startCanvas runs js/canvas.js with the framework's natives, the global object, the
// framework's internals (fw) and the canvas natives.
func (r *Runtime) startCanvas(host, fw goja.Value) error {
	canvasOnce.Do(func() { canvasProg, canvasErr = goja.Compile("sandframe:canvas.js", canvasJS, true) })
	if canvasErr != nil {
		return fmt.Errorf("logic: compile canvas: %w", canvasErr)
	}
	if err := r.runSetup(canvasProg, host, r.vm.GlobalObject(), fw, r.canvasNatives()); err != nil {
		return fmt.Errorf("logic: start canvas: %w", err)
	}
	return nil
}

func (r *Runtime) canvasNatives() *goja.Object {
	vm := r.vm
	cv := vm.NewObject()
	_ = cv.Set("maxCommands", maxCanvasCommands)
	// draw(owner, page, drawJSON, callback?): a canvas op in this turn's push; the
	// callback runs when the page acknowledged that push (it has drawn).
	_ = cv.Set("draw", func(c goja.FunctionCall) goja.Value {
		owner, page, draw := c.Argument(0).String(), c.Argument(1).String(), c.Argument(2).String()
		if r.batch.canvasBytes+len(draw) > MaxCanvasTurnBytes {
			panic(r.jsError("canvas: more than %d bytes of drawing in one task; draw in smaller steps (requestAnimationFrame, setTimeout)", MaxCanvasTurnBytes))
		}
		r.batch.canvasBytes += len(draw)
		r.batch.canvas(owner, page, draw)
		if fn, ok := goja.AssertFunction(c.Argument(3)); ok {
			r.afterPush = append(r.afterPush, pushCallback{seq: r.seq + 1, fn: fn})
		}
		return goja.Undefined()
	})
	// flushNow sends this turn's push at once, so that an API call made next (the
	// export of a canvas) reaches the page after the drawing it reads.
	_ = cv.Set("flushNow", func(goja.FunctionCall) goja.Value {
		if !r.batch.empty() {
			r.flush()
		}
		return goja.Undefined()
	})
	// imageSize(path) is "width,height" of a bundle image, "" when it is not one.
	_ = cv.Set("imageSize", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(r.bundleImageSize(c.Argument(0).String()))
	})
	return cv
}

func (r *Runtime) bundleImageSize(p string) string {
	p = path.Clean(p)
	if !fs.ValidPath(p) {
		return ""
	}
	b, err := fs.ReadFile(r.opts.FS, p)
	if err != nil {
		return ""
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d,%d", cfg.Width, cfg.Height)
}

// canvas records a canvas op (draw is the JSON of a bridge.CanvasDraw) for owner.
func (b *batch) canvas(owner, page, draw string) {
	b.ops = append(b.ops, batchOp{op: "canvas", target: owner, page: page, canvas: draw})
}

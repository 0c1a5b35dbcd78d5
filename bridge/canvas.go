package bridge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Canvas drawing travels as data (docs/canvas.md): logic records a list of drawing
// commands from a fixed vocabulary, sends it in a render push as a "canvas" op, and the
// render runtime replays it on a real <canvas> element. Nothing in a command is code:
// each is a name from CanvasOps followed by numbers, bounded strings, and the three
// style values (a colour, a gradient, a pattern). The page exports a canvas's pixels
// through canvasRead (host → page) and canvasData (page → host), in chunks.

// Message kinds of the canvas export.
const (
	KindCanvasRead Kind = "canvasRead" // host → page: export a canvas's pixels
	KindCanvasData Kind = "canvasData" // page → host: a chunk of the answer
)

// Bounds of canvas data.
const (
	MaxCanvasCommands  = 100000   // commands in one canvas op
	MaxCanvasString    = 4096     // bytes of one string argument (text, font, colour, image src)
	MaxCanvasCoord     = 1e9      // |number| of any argument
	MaxCanvasStops     = 64       // colour stops of one gradient
	MaxCanvasDash      = 64       // numbers of one line dash
	MaxCanvasImageData = 16 << 20 // bytes of base64 of one putImageData
	MaxCanvasChunk     = 192 << 10
	MaxCanvasExport    = 32 << 20 // bytes of one exported image (all chunks)
	MaxCanvasSide      = 8192     // px of an exported image's side, and of a 2d canvas
)

// CanvasOps is the drawing vocabulary: command name → argument types. Each letter is
// one argument: n number, s string, b boolean, f style (colour string, or a gradient or
// pattern array), a array of numbers (line dash), i image source string, d image data
// ([width, height, base64 RGBA]). Arguments after "|" are optional. The render runtime
// carries the same table (assets/runtime/ctl-canvas.js, CANVAS_OPS; a test holds them
// together).
var CanvasOps = map[string]string{
	// state
	"fillStyle": "f", "strokeStyle": "f", "lineWidth": "n", "lineCap": "s", "lineJoin": "s",
	"miterLimit": "n", "font": "s", "textAlign": "s", "textBaseline": "s", "globalAlpha": "n",
	"globalCompositeOperation": "s", "shadowColor": "s", "shadowBlur": "n", "shadowOffsetX": "n",
	"shadowOffsetY": "n", "lineDashOffset": "n", "setLineDash": "a", "imageSmoothingEnabled": "b",
	"direction": "s", "letterSpacing": "s", "filter": "s",
	// paths
	"beginPath": "", "closePath": "", "moveTo": "nn", "lineTo": "nn", "arc": "nnnnn|b",
	"arcTo": "nnnnn", "quadraticCurveTo": "nnnn", "bezierCurveTo": "nnnnnn", "rect": "nnnn",
	"roundRect": "nnnn|n", "ellipse": "nnnnnnn|b",
	// drawing
	"fill": "|s", "stroke": "", "clip": "|s", "fillRect": "nnnn", "strokeRect": "nnnn",
	"clearRect": "nnnn", "fillText": "snn|n", "strokeText": "snn|n", "drawImage": "inn|nnnnnn",
	"putImageData": "dnn|nnnn",
	// transforms and state stack
	"save": "", "restore": "", "translate": "nn", "rotate": "n", "scale": "nn",
	"transform": "nnnnnn", "setTransform": "nnnnnn", "resetTransform": "",
	// a 2d canvas's width and height were set: the bitmap is resized and cleared
	"size": "nn",
}

// CanvasDraw is the value of a render op "canvas" (RenderOp.Canvas).
type CanvasDraw struct {
	// CanvasID names a legacy canvas (canvas-id="x") of the op's target owner; ID a
	// <canvas type="2d" id="x">; Node the page's own id for the element, when known.
	CanvasID string `json:"canvasId,omitempty"`
	ID       string `json:"id,omitempty"`
	Node     string `json:"node,omitempty"`
	// Reserve keeps what the canvas shows (legacy draw(true)); otherwise a legacy
	// draw clears the canvas and resets its state first. 2d canvases always keep.
	Reserve bool              `json:"reserve,omitempty"`
	Kind    string            `json:"kind"` // "legacy" or "2d"
	Cmds    []json.RawMessage `json:"cmds"`
}

// CheckCanvasDraw checks a canvas op's value: its shape, every command's name and
// arguments (types, finite numbers within MaxCanvasCoord, bounded strings).
func CheckCanvasDraw(raw json.RawMessage) error {
	var d CanvasDraw
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return fmt.Errorf("malformed: %v", err)
	}
	if d.Kind != "legacy" && d.Kind != "2d" {
		return fmt.Errorf("kind: %q is not \"legacy\" or \"2d\"", truncate(d.Kind, 32))
	}
	for name, v := range map[string]string{"canvasId": d.CanvasID, "id": d.ID, "node": d.Node} {
		if len(v) > maxElementIDLen {
			return fmt.Errorf("%s: longer than %d bytes", name, maxElementIDLen)
		}
	}
	if d.CanvasID == "" && d.ID == "" && d.Node == "" {
		return fmt.Errorf("names no canvas (canvasId, id or node)")
	}
	if len(d.Cmds) > MaxCanvasCommands {
		return fmt.Errorf("cmds: %d commands, more than %d", len(d.Cmds), MaxCanvasCommands)
	}
	for i, c := range d.Cmds {
		if err := checkCanvasCommand(c); err != nil {
			return fmt.Errorf("cmds[%d]: %w", i, err)
		}
	}
	return nil
}

func checkCanvasCommand(raw json.RawMessage) error {
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil || len(parts) == 0 {
		return fmt.Errorf("is not an array starting with a command name")
	}
	var name string
	if err := json.Unmarshal(parts[0], &name); err != nil {
		return fmt.Errorf("is not an array starting with a command name")
	}
	spec, ok := CanvasOps[name]
	if !ok {
		return fmt.Errorf("%q is not a drawing command", truncate(name, 32))
	}
	required, optional, _ := strings.Cut(spec, "|")
	args := parts[1:]
	if len(args) < len(required) || len(args) > len(required)+len(optional) {
		return fmt.Errorf("%s takes %d to %d arguments, not %d", name, len(required), len(required)+len(optional), len(args))
	}
	types := required + optional
	for i, a := range args {
		if err := checkCanvasArg(types[i], a); err != nil {
			return fmt.Errorf("%s argument %d: %w", name, i+1, err)
		}
	}
	return nil
}

func checkCanvasArg(t byte, raw json.RawMessage) error {
	switch t {
	case 'n':
		return checkCanvasNumber(raw)
	case 's', 'i':
		return checkCanvasString(raw, MaxCanvasString)
	case 'b':
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return fmt.Errorf("must be a boolean")
		}
		return nil
	case 'a':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return fmt.Errorf("must be an array of numbers")
		}
		if len(list) > MaxCanvasDash {
			return fmt.Errorf("more than %d numbers", MaxCanvasDash)
		}
		for _, n := range list {
			if err := checkCanvasNumber(n); err != nil {
				return err
			}
		}
		return nil
	case 'f':
		if len(raw) > 0 && raw[0] == '"' {
			return checkCanvasString(raw, MaxCanvasString)
		}
		return checkCanvasStyle(raw)
	case 'd':
		var parts []json.RawMessage
		if json.Unmarshal(raw, &parts) != nil || len(parts) != 3 {
			return fmt.Errorf("must be [width, height, base64 data]")
		}
		for _, n := range parts[:2] {
			var v float64
			if json.Unmarshal(n, &v) != nil || v < 1 || v > MaxCanvasSide || v != math.Trunc(v) {
				return fmt.Errorf("image data size must be whole numbers from 1 to %d", MaxCanvasSide)
			}
		}
		return checkCanvasString(parts[2], MaxCanvasImageData)
	}
	return fmt.Errorf("unknown argument type %q", t)
}

// checkCanvasStyle checks a gradient (["linear", x0, y0, x1, y1, stops], ["radial",
// x0, y0, r0, x1, y1, r1, stops]) or a pattern (["pattern", src, repetition]).
func checkCanvasStyle(raw json.RawMessage) error {
	var parts []json.RawMessage
	if json.Unmarshal(raw, &parts) != nil || len(parts) == 0 {
		return fmt.Errorf("must be a colour, a gradient or a pattern")
	}
	var kind string
	_ = json.Unmarshal(parts[0], &kind)
	var nums int
	switch kind {
	case "linear":
		nums = 4
	case "radial":
		nums = 6
	case "pattern":
		if len(parts) != 3 {
			return fmt.Errorf("a pattern is [\"pattern\", src, repetition]")
		}
		if err := checkCanvasString(parts[1], MaxCanvasString); err != nil {
			return err
		}
		return checkCanvasString(parts[2], 32)
	default:
		return fmt.Errorf("must be a colour, a gradient or a pattern")
	}
	if len(parts) != nums+2 {
		return fmt.Errorf("a %s gradient has %d numbers and its stops", kind, nums)
	}
	for _, n := range parts[1 : nums+1] {
		if err := checkCanvasNumber(n); err != nil {
			return err
		}
	}
	var stops [][]json.RawMessage
	if json.Unmarshal(parts[nums+1], &stops) != nil || len(stops) > MaxCanvasStops {
		return fmt.Errorf("stops must be at most %d [offset, colour] pairs", MaxCanvasStops)
	}
	for _, s := range stops {
		if len(s) != 2 {
			return fmt.Errorf("a stop is [offset, colour]")
		}
		if err := checkCanvasNumber(s[0]); err != nil {
			return err
		}
		if err := checkCanvasString(s[1], 256); err != nil {
			return err
		}
	}
	return nil
}

func checkCanvasNumber(raw json.RawMessage) error {
	var v float64
	if json.Unmarshal(raw, &v) != nil {
		return fmt.Errorf("must be a number")
	}
	if math.Abs(v) > MaxCanvasCoord {
		return fmt.Errorf("%s is out of range (±%g)", truncate(string(raw), 32), MaxCanvasCoord)
	}
	return nil
}

func checkCanvasString(raw json.RawMessage, limit int) error {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return fmt.Errorf("must be a string")
	}
	if len(s) > limit {
		return fmt.Errorf("string of %d bytes, longer than %d", len(s), limit)
	}
	return nil
}

// CanvasRead asks the page for a canvas's pixels (wx.canvasToTempFilePath). The
// rectangle is in the canvas's CSS pixels (0 width or height: to the canvas's edge);
// DestWidth/DestHeight size the image (0: the rectangle times the device pixel ratio).
type CanvasRead struct {
	ID         uint64  `json:"id"`
	Page       string  `json:"page"`
	Owner      string  `json:"owner"`              // the page or component instance whose canvas it is
	CanvasID   string  `json:"canvasId,omitempty"` // a legacy canvas-id
	Elem       string  `json:"elem,omitempty"`     // a 2d canvas's id attribute
	Node       string  `json:"node,omitempty"`     // the page's own id for the element
	X          float64 `json:"x"`
	Y          float64 `json:"y"`
	Width      float64 `json:"width,omitempty"`
	Height     float64 `json:"height,omitempty"`
	DestWidth  float64 `json:"destWidth,omitempty"`
	DestHeight float64 `json:"destHeight,omitempty"`
	FileType   string  `json:"fileType"` // "png" or "jpg"
	Quality    float64 `json:"quality,omitempty"`
}

// CanvasData is one chunk of the page's answer to CanvasRead ID: Data is base64 of
// the image file, More says another chunk follows; OK false carries Error.
type CanvasData struct {
	ID    uint64 `json:"id"`
	OK    bool   `json:"ok"`
	Data  string `json:"data,omitempty"`
	More  bool   `json:"more,omitempty"`
	Error string `json:"error,omitempty"`
}

func validateCanvasData(p *CanvasData) error {
	if p.ID == 0 {
		return refuse("payload.id", "must be a request id ≥ 1")
	}
	if len(p.Data) > MaxCanvasChunk {
		return refuse("payload.data", "chunk of %d bytes, more than %d", len(p.Data), MaxCanvasChunk)
	}
	if len(p.Error) > maxProbeError {
		return refuse("payload.error", "longer than %d bytes", maxProbeError)
	}
	if !utf8.ValidString(p.Error) {
		return refuse("payload.error", "invalid UTF-8")
	}
	for i := 0; i < len(p.Data); i++ {
		c := p.Data[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return refuse("payload.data", "not base64 at byte %s", strconv.Itoa(i))
		}
	}
	return nil
}

// Package canvas declares wx.canvasToTempFilePath and keeps what it makes: the page
// draws (the render runtime replays the command lists logic records, docs/canvas.md),
// the session asks the page for the pixels (bridge.CanvasRead / CanvasData), and this
// package checks the image and stores it as a temporary file of the app (TempStore).
package canvas

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Host is what canvasToTempFilePath needs from the running session.
type Host interface {
	// CanvasExport asks the page for the image file (PNG or JPEG bytes) of a canvas.
	CanvasExport(ctx context.Context, req bridge.CanvasRead) ([]byte, error)
	// CanvasTempFiles is where the app's temporary files go (nil: nowhere).
	CanvasTempFiles() TempStore
}

var _ = hostapi.Register(hostapi.Decl{
	Name:  "canvasToTempFilePath",
	Class: hostapi.ClassLocal,
	Args: []hostapi.Field{
		{Name: "canvasId", Type: hostapi.String}, {Name: "canvas", Type: hostapi.Object},
		{Name: "x", Type: hostapi.Number}, {Name: "y", Type: hostapi.Number},
		{Name: "width", Type: hostapi.Number}, {Name: "height", Type: hostapi.Number},
		{Name: "destWidth", Type: hostapi.Number}, {Name: "destHeight", Type: hostapi.Number},
		{Name: "fileType", Type: hostapi.String}, {Name: "quality", Type: hostapi.Number},
		// Filled in by the framework (logic/js/canvas.js): which canvas of which owner.
		{Name: "owner", Type: hostapi.String}, {Name: "page", Type: hostapi.String},
		{Name: "id", Type: hostapi.String}, {Name: "node", Type: hostapi.String},
	},
	Handler: toTempFilePath,
})

// canvasGetImageData reads a canvas's pixels through the same page round trip, as
// RGBA of width x height (the area scaled to that size); logic turns data (base64)
// into a Uint8ClampedArray (logic/js/canvas.js).
var _ = hostapi.Register(hostapi.Decl{
	Name:  "canvasGetImageData",
	Class: hostapi.ClassLocal,
	Args: []hostapi.Field{
		{Name: "canvasId", Type: hostapi.String, Required: true},
		{Name: "x", Type: hostapi.Number, Required: true}, {Name: "y", Type: hostapi.Number, Required: true},
		{Name: "width", Type: hostapi.Number, Required: true}, {Name: "height", Type: hostapi.Number, Required: true},
		{Name: "owner", Type: hostapi.String}, {Name: "page", Type: hostapi.String},
	},
	Handler: getImageData,
})

// MaxImageDataPixels bounds what canvasGetImageData answers (16 MiB of RGBA).
const MaxImageDataPixels = 4 << 20

func getImageData(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	var a exportArgs
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	w, ht := math.Round(a.Width), math.Round(a.Height)
	if w < 1 || ht < 1 || w*ht > MaxImageDataPixels {
		return nil, nil, fmt.Errorf("width and height must be at least 1 and cover at most %d pixels", MaxImageDataPixels)
	}
	a.FileType, a.DestWidth, a.DestHeight = "", w, ht
	req, err := readRequest(a)
	if err != nil {
		return nil, nil, err
	}
	req.FileType = "rgba"
	data, err := h.CanvasExport(c.Ctx, req)
	if err != nil {
		return nil, nil, err
	}
	if len(data) != int(w*ht)*4 {
		return nil, nil, fmt.Errorf("the page answered %d bytes, not %d", len(data), int(w*ht)*4)
	}
	return map[string]any{"width": int(w), "height": int(ht), "data": base64.StdEncoding.EncodeToString(data)}, nil, nil
}

type exportArgs struct {
	CanvasID   string  `json:"canvasId"`
	ID         string  `json:"id"`
	Node       string  `json:"node"`
	Owner      string  `json:"owner"`
	Page       string  `json:"page"`
	X          float64 `json:"x"`
	Y          float64 `json:"y"`
	Width      float64 `json:"width"`
	Height     float64 `json:"height"`
	DestWidth  float64 `json:"destWidth"`
	DestHeight float64 `json:"destHeight"`
	FileType   string  `json:"fileType"`
	Quality    float64 `json:"quality"`
}

func toTempFilePath(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	var a exportArgs
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	req, err := readRequest(a)
	if err != nil {
		return nil, nil, err
	}
	store := h.CanvasTempFiles()
	if store == nil {
		return nil, nil, errors.New("no temporary file store in this shell")
	}
	data, err := h.CanvasExport(c.Ctx, req)
	if err != nil {
		return nil, nil, err
	}
	ext, err := imageType(data)
	if err != nil {
		return nil, nil, err
	}
	if (ext == "png") != (req.FileType == "png") {
		return nil, nil, fmt.Errorf("the page made a %s image, not %s", ext, req.FileType)
	}
	p, err := store.SaveTemp(ext, data)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"tempFilePath": p}, nil, nil
}

// readRequest checks the arguments and turns them into the page's request.
func readRequest(a exportArgs) (bridge.CanvasRead, error) {
	if a.Owner == "" || a.Page == "" {
		return bridge.CanvasRead{}, errors.New("no page is open")
	}
	if a.CanvasID == "" && a.ID == "" && a.Node == "" {
		return bridge.CanvasRead{}, errors.New("canvasId or canvas is required")
	}
	for _, s := range []string{a.CanvasID, a.ID, a.Node, a.Owner, a.Page} {
		if len(s) > 256 {
			return bridge.CanvasRead{}, errors.New("canvas name longer than 256 bytes")
		}
	}
	switch a.FileType {
	case "", "png":
		a.FileType = "png"
	case "jpg", "jpeg":
		a.FileType = "jpg"
	default:
		return bridge.CanvasRead{}, fmt.Errorf("fileType %q is not png or jpg", a.FileType)
	}
	for _, v := range []float64{a.X, a.Y, a.Width, a.Height, a.DestWidth, a.DestHeight} {
		if math.IsNaN(v) || math.Abs(v) > bridge.MaxCanvasSide*4 {
			return bridge.CanvasRead{}, errors.New("x, y, width, height, destWidth and destHeight must be numbers within the canvas")
		}
	}
	for _, v := range []float64{a.Width, a.Height, a.DestWidth, a.DestHeight} {
		if v < 0 {
			return bridge.CanvasRead{}, errors.New("width, height, destWidth and destHeight must not be negative")
		}
	}
	if a.DestWidth > bridge.MaxCanvasSide || a.DestHeight > bridge.MaxCanvasSide {
		return bridge.CanvasRead{}, fmt.Errorf("destWidth and destHeight are at most %d", bridge.MaxCanvasSide)
	}
	q := a.Quality
	if q <= 0 || q > 1 {
		q = 1
	}
	return bridge.CanvasRead{Page: a.Page, Owner: a.Owner, CanvasID: a.CanvasID, Node: a.Node, ID: 0,
		X: a.X, Y: a.Y, Width: a.Width, Height: a.Height, DestWidth: a.DestWidth, DestHeight: a.DestHeight,
		FileType: a.FileType, Quality: q, Elem: a.ID}, nil
}

// imageType names the format of data by its signature: only the two the page makes.
func imageType(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png", nil
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "jpg", nil
	}
	return "", errors.New("the page did not answer with a PNG or JPEG image")
}

package dev

import (
	"fmt"
	"strings"
)

// Preset is a device the simulator shows the app as: its window in CSS pixels (what
// the page's window.innerWidth and 750rpx span) and its pixel ratio (what
// wx.getSystemInfo reports).
type Preset struct {
	Name          string  `json:"name"`
	Kind          string  `json:"kind"` // phone, tablet or desktop
	Width, Height int     `json:"-"`
	PixelRatio    float64 `json:"pixelRatio"`
}

// Presets are the simulator's devices, in the order its list shows them.
var Presets = []Preset{
	{Name: "iPhone SE", Kind: "phone", Width: 375, Height: 667, PixelRatio: 2},
	{Name: "iPhone 14", Kind: "phone", Width: 390, Height: 844, PixelRatio: 3},
	{Name: "iPhone 14 Pro Max", Kind: "phone", Width: 430, Height: 932, PixelRatio: 3},
	{Name: "Pixel 7", Kind: "phone", Width: 412, Height: 915, PixelRatio: 2.625},
	{Name: "Small phone", Kind: "phone", Width: 320, Height: 568, PixelRatio: 2},
	{Name: "iPad", Kind: "tablet", Width: 768, Height: 1024, PixelRatio: 2},
	{Name: "Desktop window", Kind: "desktop", Width: 1024, Height: 700, PixelRatio: 1},
}

// DefaultPreset is the device `shell dev` starts with.
const DefaultPreset = "iPhone SE"

// FindPreset looks a preset up by name, case and spaces aside ("iphone-se" works).
func FindPreset(name string) (int, error) {
	norm := func(s string) string {
		return strings.NewReplacer(" ", "", "-", "", "_", "").Replace(strings.ToLower(s))
	}
	for i, p := range Presets {
		if norm(p.Name) == norm(name) {
			return i, nil
		}
	}
	names := make([]string, len(Presets))
	for i, p := range Presets {
		names[i] = p.Name
	}
	return 0, fmt.Errorf("no device preset %q (have: %s)", name, strings.Join(names, ", "))
}

// Label is the preset as the simulator's list shows it.
func (p Preset) Label() string {
	return fmt.Sprintf("%s — %d×%d @%gx", p.Name, p.Width, p.Height, p.PixelRatio)
}

// zoomSteps are the zoom levels the controls window's − and + step through.
var zoomSteps = []float64{0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2}

// stepZoom is the zoom one step from z (dir -1 or +1), or 1 for dir 0.
func stepZoom(z float64, dir int) float64 {
	if dir == 0 {
		return 1
	}
	i := 0
	for i < len(zoomSteps)-1 && zoomSteps[i] < z-1e-9 {
		i++
	}
	// i: the first step >= z
	if dir > 0 {
		if zoomSteps[i] > z+1e-9 {
			return zoomSteps[i]
		}
		if i+1 < len(zoomSteps) {
			return zoomSteps[i+1]
		}
		return zoomSteps[i]
	}
	if i > 0 {
		return zoomSteps[i-1]
	}
	return zoomSteps[0]
}

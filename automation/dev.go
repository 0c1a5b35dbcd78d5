package automation

import (
	"context"
	"encoding/json"
	"errors"
)

// Simulator is a target that is `shell dev`'s simulator (docs/dev.md):
//
//	dev.status {}                  → the simulator's state (generation, preset, size, theme, zoom, last compile error)
//	dev.preset {"name": "iPad"}    → the state after switching the device preset
//	dev.theme  {"theme": "dark"}   → the state after switching the theme (the app hears onThemeChange)
//	dev.zoom   {"zoom": 1.5}       → the state after zooming the frame
type Simulator interface {
	SimStatus() (any, error)
	SimPreset(name string) (any, error)
	SimTheme(theme string) (any, error)
	SimZoom(zoom float64) (any, error)
}

func init() {
	sim := func(f func(s Simulator, p simParams) (any, error)) func(context.Context, Target, json.RawMessage) (any, error) {
		return func(_ context.Context, t Target, raw json.RawMessage) (any, error) {
			s, ok := t.(Simulator)
			if !ok {
				return nil, errors.New("this target is not a simulator (shell dev)")
			}
			var p simParams
			if len(raw) > 0 {
				if err := json.Unmarshal(raw, &p); err != nil {
					return nil, err
				}
			}
			return f(s, p)
		}
	}
	extraMethods["dev.status"] = sim(func(s Simulator, _ simParams) (any, error) { return s.SimStatus() })
	extraMethods["dev.preset"] = sim(func(s Simulator, p simParams) (any, error) { return s.SimPreset(p.Name) })
	extraMethods["dev.theme"] = sim(func(s Simulator, p simParams) (any, error) { return s.SimTheme(p.Theme) })
	extraMethods["dev.zoom"] = sim(func(s Simulator, p simParams) (any, error) { return s.SimZoom(p.Zoom) })
}

type simParams struct {
	Name  string  `json:"name"`
	Theme string  `json:"theme"`
	Zoom  float64 `json:"zoom"`
}

package miniapp

import (
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
)

// theme is WeChat's dark-mode theme file (app.json "themeLocation"): values in app.json
// and page .json written "@name" take the theme's value. The shell shows the light
// theme, the one WeChat shows when dark mode is off.
type theme map[string]string

// loadTheme reads app.json's themeLocation, if any. A theme that cannot be read is a
// warning: its "@name" values then stay as written.
func loadTheme(fsys fs.FS, raw []byte) (theme, string) {
	var head struct {
		ThemeLocation string `json:"themeLocation"`
	}
	if json.Unmarshal(raw, &head) != nil || head.ThemeLocation == "" {
		return nil, ""
	}
	file, ok := BundlePath("", head.ThemeLocation)
	if !ok {
		return nil, "app.json: themeLocation: " + head.ThemeLocation + " points outside the mini-app; ignored"
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "app.json: themeLocation: no " + file + "; ignored"
		}
		return nil, file + ": " + err.Error()
	}
	var doc struct {
		Light map[string]any `json:"light"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, file + ": not a theme (" + err.Error() + "); ignored"
	}
	t := theme{}
	for k, v := range doc.Light {
		if s, ok := v.(string); ok {
			t[k] = s
		}
	}
	return t, ""
}

// apply replaces every string "@name" in the JSON document raw that the theme names;
// raw comes back unchanged when there is nothing to replace or it is not JSON.
func (t theme) apply(raw []byte) []byte {
	if len(t) == 0 || !strings.Contains(string(raw), `"@`) {
		return raw
	}
	var doc any
	if json.Unmarshal(raw, &doc) != nil {
		return raw
	}
	out, err := json.Marshal(t.walk(doc))
	if err != nil {
		return raw
	}
	return out
}

func (t theme) walk(v any) any {
	switch x := v.(type) {
	case string:
		if name, ok := strings.CutPrefix(x, "@"); ok {
			if val, ok := t[name]; ok {
				return val
			}
		}
	case map[string]any:
		for k, e := range x {
			x[k] = t.walk(e)
		}
	case []any:
		for i, e := range x {
			x[i] = t.walk(e)
		}
	}
	return v
}

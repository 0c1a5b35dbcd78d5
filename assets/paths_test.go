package assets

import "testing"

func TestResolveImage(t *testing.T) {
	images := map[string]any{"images/a.png": "data:image/png;base64,AAA", "pages/index/b.png": "data:image/png;base64,BBB"}
	tests := []struct {
		name, file, src, want string
	}{
		{"relative to the template", "pages/index/index.wxml", "../../images/a.png", "data:image/png;base64,AAA"},
		{"same folder", "pages/index/index.wxml", "b.png", "data:image/png;base64,BBB"},
		{"dot segment", "pages/index/index.wxml", "./b.png", "data:image/png;base64,BBB"},
		{"from the bundle root", "pages/index/index.wxml", "/images/a.png", "data:image/png;base64,AAA"},
		{"query dropped", "pages/index/index.wxml", "/images/a.png?v=2", "data:image/png;base64,AAA"},
		{"cannot climb above the root", "pages/index/index.wxml", "../../../../images/a.png", "data:image/png;base64,AAA"},
		{"data URL passes", "x.wxml", "data:image/gif;base64,R0l", "data:image/gif;base64,R0l"},
		{"remote is never loaded", "x.wxml", "https://example.com/a.png", ""},
		{"other schemes refused", "x.wxml", "file:///etc/passwd", ""},
		{"non-image data refused", "x.wxml", "data:text/html,<b>", ""},
		{"missing", "x.wxml", "nope.png", ""},
		{"empty", "x.wxml", "", ""},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.call("resolveImage", images, tc.file, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := decodeString(t, got); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRemoteImage(t *testing.T) {
	tests := []struct {
		name, app, src, want string
	}{
		{"https", "dev.example.a", "https://img.example.com/a.png?x=1&y=2", "sfimg://image/?app=dev.example.a&u=https%3A%2F%2Fimg.example.com%2Fa.png%3Fx%3D1%26y%3D2"},
		{"protocol-relative is https", "a", "//img.example.com/a.png", "sfimg://image/?app=a&u=https%3A%2F%2Fimg.example.com%2Fa.png"},
		{"plain http goes to the shell, which refuses it", "a", "http://img.example.com/a.png", "sfimg://image/?app=a&u=http%3A%2F%2Fimg.example.com%2Fa.png"},
		{"an app id that needs escaping", "a b&c", "https://x.example/a", "sfimg://image/?app=a%20b%26c&u=https%3A%2F%2Fx.example%2Fa"},
		{"bundle path", "a", "/images/a.png", ""},
		{"other scheme", "a", "file:///etc/passwd", ""},
		{"javascript", "a", "javascript:alert(1)", ""},
		{"no host", "a", "https:///a.png", ""},
		{"no app", "", "https://x.example/a.png", ""},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.call("remoteImage", tc.app, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := decodeString(t, got); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRemoteStyleImages(t *testing.T) {
	tests := []struct {
		name, style, want string
	}{
		{"unquoted", "background-image: url(https://x.example/a.png); color: red", `background-image: url("sfimg://image/?app=a&u=https%3A%2F%2Fx.example%2Fa.png"); color: red`},
		{"quoted, protocol-relative", "background: url( '//x.example/b.png?w=1' ) no-repeat", `background: url("sfimg://image/?app=a&u=https%3A%2F%2Fx.example%2Fb.png%3Fw%3D1") no-repeat`},
		{"two", `background: url("https://x.example/1.png"), url(https://x.example/2.png)`, `background: url("sfimg://image/?app=a&u=https%3A%2F%2Fx.example%2F1.png"), url("sfimg://image/?app=a&u=https%3A%2F%2Fx.example%2F2.png")`},
		{"data kept", "background: url(data:image/png;base64,AAA)", "background: url(data:image/png;base64,AAA)"},
		{"bundle path kept", "background: url(/images/a.png)", "background: url(/images/a.png)"},
		{"escapes left to the CSP", `background: url("https://x.example/a\29.png")`, `background: url("https://x.example/a\29.png")`},
		{"no url", "width: 10px", "width: 10px"},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.call("remoteStyleImages", tc.style, "a")
			if err != nil {
				t.Fatal(err)
			}
			if got := decodeString(t, got); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestResolvePageURL(t *testing.T) {
	tests := []struct {
		route, url, want string
	}{
		{"pages/index/index", "/pages/logs/logs", "/pages/logs/logs"},
		{"pages/index/index", "../logs/logs?x=1&y=a/b", "/pages/logs/logs?x=1&y=a/b"},
		{"pages/index/index", "detail", "/pages/index/detail"},
		{"pages/index/index", "pages/a/a", "/pages/index/pages/a/a"},
		{"pages/index/index", "", ""},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		got, err := env.call("resolvePageURL", tc.route, tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := decodeString(t, got); got != tc.want {
			t.Errorf("resolvePageURL(%q, %q) = %q, want %q", tc.route, tc.url, got, tc.want)
		}
	}
}

func TestConvertRpx(t *testing.T) {
	tests := []struct {
		style  string
		factor float64
		want   string
	}{
		{"width: 750rpx", 0.5, "width: 375px"},
		{"margin: 10rpx -20rpx .5rpx 0", 1, "margin: 10px -20px 0.5px 0"},
		{"width: 100rpx", 420.0 / 750, "width: 56px"},
		{"width: 1rpx", 1.0 / 3, "width: 0.333px"},
		{"height: 10px; color: red", 2, "height: 10px; color: red"},
		{"width: 10RPX", 2, "width: 20px"},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		got, err := env.call("convertRpx", tc.style, tc.factor)
		if err != nil {
			t.Fatal(err)
		}
		if got := decodeString(t, got); got != tc.want {
			t.Errorf("convertRpx(%q, %v) = %q, want %q", tc.style, tc.factor, got, tc.want)
		}
	}
}

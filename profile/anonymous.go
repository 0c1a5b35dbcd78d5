package profile

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"sync"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// AnonymousNickName is the name WeChat hands an app the user did not give their
// profile to (base library 2.27.1 and later).
const AnonymousNickName = "微信用户"

// AnonymousAvatar is the default avatar that goes with it: a grey silhouette on light
// grey, 132×132 like WeChat's, as a PNG data: URL (the page shows it without a
// request).
var AnonymousAvatar = sync.OnceValue(func() string {
	const n = 132
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	bg, fg := color.RGBA{0xed, 0xed, 0xed, 0xff}, color.RGBA{0xb2, 0xb2, 0xb2, 0xff}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			dx, hy, by := x-n/2, y-50, y-n-18
			head := dx*dx+hy*hy <= 24*24
			body := dx*dx+by*by <= 56*56
			if head || body {
				img.Set(x, y, fg)
			} else {
				img.Set(x, y, bg)
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
})

// anonymous answers a profile call the user did not allow (declined, not declared, or
// denied by policy) as WeChat does: success with the anonymous profile, so that apps
// written for today's WeChat go on.
func anonymous(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	lang := ""
	if h, err := hostapi.HostAs[Host](c); err == nil {
		_, _, lang = h.ProfileSource()
	}
	return map[string]any{"userInfo": map[string]any{
		"nickName": AnonymousNickName, "avatarUrl": AnonymousAvatar(), "gender": 0,
		"country": "", "province": "", "city": "", "language": lang,
	}}, nil, nil
}

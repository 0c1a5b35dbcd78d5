package automation

import (
	"context"
	"encoding/json"
	"errors"
)

// Backgrounder is a target whose window can go to the background and come back, as
// when a person closes it into the launcher or switches back to it (App.onHide and
// onShow, wx.onAppHide and onAppShow).
type Backgrounder interface {
	Hide() error
	Show() error
}

func init() {
	for name, hide := range map[string]bool{"window.hide": true, "window.show": false} {
		hide := hide
		extraMethods[name] = func(_ context.Context, t Target, _ json.RawMessage) (any, error) {
			b, ok := t.(Backgrounder)
			if !ok {
				return nil, errors.New("this target has no window to hide or show")
			}
			if hide {
				return struct{}{}, b.Hide()
			}
			return struct{}{}, b.Show()
		}
	}
}

// Hide sends the window to the background.
func (c *Client) Hide(ctx context.Context) error { return c.Call(ctx, "window.hide", nil, nil) }

// Show brings it back.
func (c *Client) Show(ctx context.Context) error { return c.Call(ctx, "window.show", nil, nil) }

package netapi

import (
	"context"

	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
)

// AppData is the client's store in the one wipe (internal/appdata): the app's cookie
// jar, in every scope. Jars live in memory only. Idle connections are closed too (every
// app's: the pool is shared): a kept-alive connection's read buffer still holds the
// last response it carried, cookies and all.
func (c *Client) AppData() appdata.Store { return cookies{c} }

type cookies struct{ c *Client }

func (cookies) Name() string { return "cookies" }

func (d cookies) Wipe(_ context.Context, app identity.App, _ appdata.Scope) error {
	d.c.ForgetApp(app.Key())
	d.c.Close()
	return nil
}

// AppData is the image fetcher's store in the one wipe: the app's cached remote images
// (on disk) and its budget, in every scope; idle connections are closed, as for the
// client.
func (im *Images) AppData() appdata.Store { return imageCache{im} }

type imageCache struct{ im *Images }

func (imageCache) Name() string { return "image cache" }

func (d imageCache) Wipe(_ context.Context, app identity.App, _ appdata.Scope) error {
	d.im.Close()
	return d.im.ForgetApp(app.Key())
}

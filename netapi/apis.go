package netapi

import (
	"errors"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Host is what the network APIs need from the running session.
type Host interface {
	// Network is the shell's client (nil: no network) and the calling app as it sees it.
	Network() (*Client, App)
}

const capRequest = "network:request"

var _ = hostapi.Register(
	hostapi.Decl{Name: "request", Capability: capRequest, Class: hostapi.ClassNetwork, Handler: request,
		Args: []hostapi.Field{
			{Name: "url", Type: hostapi.String, Required: true},
			{Name: "data", Type: hostapi.Any},
			{Name: "header", Type: hostapi.Object},
			{Name: "method", Type: hostapi.String},
			{Name: "dataType", Type: hostapi.String},
			{Name: "responseType", Type: hostapi.String},
			{Name: "timeout", Type: hostapi.Number},
		}},
	// downloadFile and uploadFile are declared by files/ (transfer.go), beside the
	// files they read and write; they go through Client.Download and Client.Upload.
)

func request(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	cl, app := h.Network()
	if cl == nil {
		return nil, nil, errors.New("no network in this shell")
	}
	res, err := cl.Request(c.Ctx, app, c.Args)
	return res, nil, err
}

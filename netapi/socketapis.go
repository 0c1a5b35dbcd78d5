package netapi

import (
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// SocketHost is what the WebSocket and network-status APIs need from the running
// session: its live network (nil error and a value, or why there is none).
type SocketHost interface {
	AppNet() (*AppNet, error)
}

// The socket APIs. connectSocket opens a connection (rated as a network call);
// sending and closing work on a socket the app already has, bounded by its queue and
// message size rather than by a call rate (a chat or a game sends often), and run in
// the order the app called them (local calls of one app are served in order). The
// listener forms (SocketTask.onOpen..., wx.onSocketOpen...) and the SocketTask object
// are logic's task layer (logic/js/tasks.js); the events cross the bridge as
// bridge.APIEvent messages of connectSocket.
var _ = hostapi.Register(
	hostapi.Decl{Name: "connectSocket", Capability: capRequest, Class: hostapi.ClassNetwork, Handler: connectSocket,
		Events: []string{"open", "message", "close", "error"},
		Args: []hostapi.Field{
			{Name: "url", Type: hostapi.String, Required: true},
			{Name: "header", Type: hostapi.Object},
			{Name: "protocols", Type: hostapi.Array},
			{Name: "timeout", Type: hostapi.Number},
			{Name: "tcpNoDelay", Type: hostapi.Boolean},
			{Name: "perMessageDeflate", Type: hostapi.Boolean},
		}},
	// socketTaskId (the task layer's) and binary (data is an ArrayBuffer in base64) are
	// not WeChat's fields, so they are not listed for wx.canIUse.
	hostapi.Decl{Name: "sendSocketMessage", Capability: capRequest, Class: hostapi.ClassLocal, Handler: sendSocket,
		Args: []hostapi.Field{{Name: "data", Type: hostapi.Any, Required: true}}},
	hostapi.Decl{Name: "closeSocket", Capability: capRequest, Class: hostapi.ClassLocal, Handler: closeSocket,
		Args: []hostapi.Field{{Name: "code", Type: hostapi.Number}, {Name: "reason", Type: hostapi.String}}},
)

func appNet(c hostapi.Call) (*AppNet, error) {
	h, err := hostapi.HostAs[SocketHost](c)
	if err != nil {
		return nil, err
	}
	return h.AppNet()
}

func connectSocket(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	n, err := appNet(c)
	if err != nil {
		return nil, nil, err
	}
	res, err := n.Connect(c.Args)
	return res, nil, err
}

func sendSocket(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	n, err := appNet(c)
	if err != nil {
		return nil, nil, err
	}
	return nil, nil, n.Send(c.Args)
}

func closeSocket(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	n, err := appNet(c)
	if err != nil {
		return nil, nil, err
	}
	return nil, nil, n.Close(c.Args)
}

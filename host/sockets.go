package host

import (
	"errors"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/netapi"
)

var _ netapi.SocketHost = apiHost{}

// AppNet implements netapi.SocketHost: the session's WebSockets and network-status
// subscription, made at the first call that needs them and ended with the session
// (its context). Their events reach logic as apiEvent messages.
func (h apiHost) AppNet() (*netapi.AppNet, error) {
	s := h.s
	if s.opts.Network == nil {
		return nil, errors.New("no network in this shell")
	}
	s.appNetOnce.Do(func() {
		cl, app := h.Network()
		s.appNet = netapi.NewAppNet(s.ctx, cl, app, func(ev bridge.APIEvent) {
			s.deliverLogic(bridge.KindAPIEvent, ev)
		}, netapi.SocketLimits{})
	})
	return s.appNet, nil
}

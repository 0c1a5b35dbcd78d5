package devtools

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/storage"
)

// errReloading answers a request that arrives in the instant a reload swaps sessions.
var errReloading = errors.New("the app is reloading: ask again")

// Follow is a Session that is always the one current returns: `shell dev` restarts the
// app's session on every reload, and one DevTools window outlives them all. current
// returns false while there is none.
func Follow(current func() (Session, bool)) Session { return follow(current) }

type follow func() (Session, bool)

func (f follow) DevInfo() host.DevAppInfo {
	if s, ok := f(); ok {
		return s.DevInfo()
	}
	return host.DevAppInfo{}
}

func (f follow) DevEval(expr string) (json.RawMessage, error) {
	if s, ok := f(); ok {
		return s.DevEval(expr)
	}
	return nil, errReloading
}

func (f follow) DevSetData(page string, data json.RawMessage) error {
	if s, ok := f(); ok {
		return s.DevSetData(page, data)
	}
	return errReloading
}

func (f follow) DevPages() []logic.PageInfo {
	if s, ok := f(); ok {
		return s.DevPages()
	}
	return nil
}

func (f follow) DevPageData(page string) (json.RawMessage, error) {
	if s, ok := f(); ok {
		return s.DevPageData(page)
	}
	return nil, errReloading
}

func (f follow) DevComponents(page string) []host.DevComponent {
	if s, ok := f(); ok {
		return s.DevComponents(page)
	}
	return nil
}

func (f follow) DevProbe(ctx context.Context, op, selector, value string) (json.RawMessage, error) {
	if s, ok := f(); ok {
		return s.DevProbe(ctx, op, selector, value)
	}
	return nil, errReloading
}

func (f follow) DevStorage() (*storage.AppStore, error) {
	if s, ok := f(); ok {
		return s.DevStorage()
	}
	return nil, errReloading
}

func (f follow) DevPerms() (*perms.Manager, perms.App) {
	if s, ok := f(); ok {
		return s.DevPerms()
	}
	return nil, perms.App{}
}

func (f follow) DevAudit() *bridge.AuditLog {
	if s, ok := f(); ok {
		return s.DevAudit()
	}
	return nil
}

func (f follow) DevWebProcess() int {
	if s, ok := f(); ok {
		return s.DevWebProcess()
	}
	return 0
}

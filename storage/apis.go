package storage

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Host is what the storage APIs need from the running session.
type Host interface {
	// AppStorage is the namespace of the app that sent the call (the stamped sender,
	// never anything the message says: no code path lets app A's call reach app B).
	AppStorage(app string) (*AppStore, error)
	// StorageLimit is an app's quota in bytes, for the quota error's text.
	StorageLimit() int64
}

var keyField = hostapi.Field{Name: "key", Type: hostapi.String, Required: true}

// wx's storage APIs, each in its async and Sync form.
var _ = hostapi.Register(
	hostapi.Decl{Name: "setStorage", Class: hostapi.ClassLocal, Handler: setHandler,
		Args: []hostapi.Field{keyField, {Name: "data", Type: hostapi.Any, Required: true}}},
	hostapi.Decl{Name: "setStorageSync", Sync: true, Params: []string{"key", "data"}, Class: hostapi.ClassLocal, Handler: setHandler,
		Args: []hostapi.Field{keyField, {Name: "data", Type: hostapi.Any, Required: true}}},
	hostapi.Decl{Name: "getStorage", Class: hostapi.ClassLocal, Handler: getHandler(false), Args: []hostapi.Field{keyField}},
	hostapi.Decl{Name: "getStorageSync", Sync: true, Params: []string{"key"}, Returns: "data", Class: hostapi.ClassLocal,
		Handler: getHandler(true), Args: []hostapi.Field{keyField}},
	hostapi.Decl{Name: "removeStorage", Class: hostapi.ClassLocal, Handler: removeHandler, Args: []hostapi.Field{keyField}},
	hostapi.Decl{Name: "removeStorageSync", Sync: true, Params: []string{"key"}, Class: hostapi.ClassLocal,
		Handler: removeHandler, Args: []hostapi.Field{keyField}},
	hostapi.Decl{Name: "clearStorage", Class: hostapi.ClassLocal, Handler: clearHandler},
	hostapi.Decl{Name: "clearStorageSync", Sync: true, Params: []string{}, Class: hostapi.ClassLocal, Handler: clearHandler},
	hostapi.Decl{Name: "getStorageInfo", Class: hostapi.ClassLocal, Handler: infoHandler},
	hostapi.Decl{Name: "getStorageInfoSync", Sync: true, Class: hostapi.ClassLocal, Handler: infoHandler},
)

// open is the sender's namespace.
func open(c hostapi.Call) (*AppStore, Host, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	if c.Sender.App == "" {
		return nil, nil, errors.New("no sender")
	}
	st, err := h.AppStorage(c.Sender.App)
	return st, h, err
}

func setHandler(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Key  string          `json:"key"`
		Data json.RawMessage `json:"data"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	st, h, err := open(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, apiErr(c, h, st.Set(a.Key, a.Data))
}

func key(c hostapi.Call) string {
	var a struct {
		Key string `json:"key"`
	}
	_ = c.Decode(&a) // the schema checked it
	return a.Key
}

func getHandler(sync bool) hostapi.Handler {
	return func(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
		st, h, err := open(c)
		if err != nil {
			return nil, nil, err
		}
		v, err := st.Get(key(c))
		if errors.Is(err, ErrNoKey) && sync {
			return map[string]any{"data": ""}, nil, nil // getStorageSync answers "" for a missing key
		}
		if err != nil {
			return nil, nil, apiErr(c, h, err)
		}
		return map[string]any{"data": v}, nil, nil
	}
}

func removeHandler(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	st, h, err := open(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, apiErr(c, h, st.Remove(key(c)))
}

func clearHandler(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	st, h, err := open(c)
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{}, nil, apiErr(c, h, st.Clear())
}

func infoHandler(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	st, h, err := open(c)
	if err != nil {
		return nil, nil, err
	}
	in, err := st.Info()
	if err != nil {
		return nil, nil, apiErr(c, h, err)
	}
	keys := in.Keys
	if keys == nil {
		keys = []string{}
	}
	cur, limit := in.KB() // WeChat reports sizes in KB
	return map[string]any{"keys": keys, "currentSize": cur, "limitSize": limit}, nil, nil
}

// apiErr turns storage's errors into WeChat's reasons. Anything else is logged and
// reported as an internal error: its text could name files.
func apiErr(c hostapi.Call, h Host, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNoKey):
		return errors.New("data not found")
	case errors.Is(err, ErrKeyTooLarge):
		return errors.New("exceed storage item max length")
	case errors.Is(err, ErrQuota):
		return fmt.Errorf("exceed storage max size %dMb", h.StorageLimit()>>20)
	case errors.Is(err, ErrInvalid):
		return fmt.Errorf("parameter error: %v", err)
	}
	if c.Log != nil {
		c.Log.Error("storage", "err", err)
	}
	return errors.New("internal error")
}

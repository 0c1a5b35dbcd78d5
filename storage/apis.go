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

// The batch forms: batchSetStorage({kvList: [{key, value}]}), batchGetStorage({keyList})
// → {dataList}, and their Sync forms taking the list itself.
var _ = hostapi.Register(
	hostapi.Decl{Name: "batchSetStorage", Class: hostapi.ClassLocal, Handler: batchSet,
		Args: []hostapi.Field{{Name: "kvList", Type: hostapi.Array, Required: true}}},
	hostapi.Decl{Name: "batchSetStorageSync", Sync: true, Params: []string{"kvList"}, Class: hostapi.ClassLocal, Handler: batchSet,
		Args: []hostapi.Field{{Name: "kvList", Type: hostapi.Array, Required: true}}},
	hostapi.Decl{Name: "batchGetStorage", Class: hostapi.ClassLocal, Handler: batchGet,
		Args: []hostapi.Field{{Name: "keyList", Type: hostapi.Array, Required: true}}},
	hostapi.Decl{Name: "batchGetStorageSync", Sync: true, Params: []string{"keyList"}, Returns: "dataList", Class: hostapi.ClassLocal,
		Handler: batchGet, Args: []hostapi.Field{{Name: "keyList", Type: hostapi.Array, Required: true}}},
)

// maxBatch bounds one batch call's list.
const maxBatch = 1000

// batchSet checks every item before writing any; the items are then written in order,
// so a quota reached midway leaves the earlier ones written (and says so).
func batchSet(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		KVList []struct {
			Key   *string         `json:"key"`
			Value json.RawMessage `json:"value"`
		} `json:"kvList"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	if len(a.KVList) > maxBatch {
		return nil, nil, fmt.Errorf("parameter error: kvList has %d items, at most %d", len(a.KVList), maxBatch)
	}
	for i, kv := range a.KVList {
		if kv.Key == nil {
			return nil, nil, fmt.Errorf("parameter error: parameter.kvList[%d].key should be String instead of Undefined;", i)
		}
		if len(kv.Value) == 0 {
			return nil, nil, fmt.Errorf("parameter error: parameter.kvList[%d].value should be Any instead of Undefined;", i)
		}
	}
	st, h, err := open(c)
	if err != nil {
		return nil, nil, err
	}
	for i, kv := range a.KVList {
		if err := st.Set(*kv.Key, kv.Value); err != nil {
			err = apiErr(c, h, err)
			if i > 0 {
				err = fmt.Errorf("%w (the first %d items were stored)", err, i)
			}
			return nil, nil, err
		}
	}
	return map[string]any{}, nil, nil
}

// batchGet answers "" for a missing key, as getStorageSync does.
func batchGet(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		KeyList []string `json:"keyList"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, fmt.Errorf("parameter error: parameter.keyList should be Array of String;")
	}
	if len(a.KeyList) > maxBatch {
		return nil, nil, fmt.Errorf("parameter error: keyList has %d items, at most %d", len(a.KeyList), maxBatch)
	}
	st, h, err := open(c)
	if err != nil {
		return nil, nil, err
	}
	out := make([]any, len(a.KeyList))
	for i, k := range a.KeyList {
		v, err := st.Get(k)
		switch {
		case errors.Is(err, ErrNoKey):
			out[i] = ""
		case err != nil:
			return nil, nil, apiErr(c, h, err)
		default:
			out[i] = v
		}
	}
	return map[string]any{"dataList": out}, nil, nil
}

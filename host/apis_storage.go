package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/storage"
)

// registerStorageAPIs installs wx's storage APIs. The namespace is the stamped sender's
// app, never anything the message says: no code path lets app A's call reach app B.
func (s *Session) registerStorageAPIs() {
	type keyArgs struct {
		Key *string `json:"key"`
	}
	key := func(args json.RawMessage) (string, error) {
		var a keyArgs
		if err := decodeArgs(args, &a); err != nil {
			return "", err
		}
		if a.Key == nil {
			return "", errors.New("parameter error: parameter.key should be String instead of Undefined;")
		}
		return *a.Key, nil
	}
	set := func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		var a struct {
			Key  *string         `json:"key"`
			Data json.RawMessage `json:"data"`
		}
		if err := decodeArgs(args, &a); err != nil {
			return nil, nil, err
		}
		if a.Key == nil {
			return nil, nil, errors.New("parameter error: parameter.key should be String instead of Undefined;")
		}
		if len(a.Data) == 0 {
			return nil, nil, errors.New("parameter error: parameter.data should be Any instead of Undefined;")
		}
		st, err := s.appStorage(snd)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{}, nil, s.storageErr(st.Set(*a.Key, a.Data))
	}
	// keyed is a handler of an API that takes a key: the key checked, the sender's
	// namespace opened.
	keyed := func(f func(st *storage.AppStore, k string) (map[string]any, error)) bridge.Handler {
		return func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
			k, err := key(args)
			if err != nil {
				return nil, nil, err
			}
			st, err := s.appStorage(snd)
			if err != nil {
				return nil, nil, err
			}
			res, err := f(st, k)
			return res, nil, err
		}
	}
	get := func(sync bool) bridge.Handler {
		return keyed(func(st *storage.AppStore, k string) (map[string]any, error) {
			v, err := st.Get(k)
			if errors.Is(err, storage.ErrNoKey) && sync {
				return map[string]any{"data": ""}, nil // getStorageSync answers "" for a missing key
			}
			if err != nil {
				return nil, s.storageErr(err)
			}
			return map[string]any{"data": v}, nil
		})
	}
	remove := keyed(func(st *storage.AppStore, k string) (map[string]any, error) {
		return map[string]any{}, s.storageErr(st.Remove(k))
	})
	clear := func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		st, err := s.appStorage(snd)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{}, nil, s.storageErr(st.Clear())
	}
	info := func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		st, err := s.appStorage(snd)
		if err != nil {
			return nil, nil, err
		}
		in, err := st.Info()
		if err != nil {
			return nil, nil, s.storageErr(err)
		}
		keys := in.Keys
		if keys == nil {
			keys = []string{}
		}
		cur, limit := in.KB() // WeChat reports sizes in KB
		return map[string]any{"keys": keys, "currentSize": cur, "limitSize": limit}, nil, nil
	}
	for name, h := range map[string]bridge.Handler{
		"setStorage": set, "setStorageSync": set,
		"getStorage": get(false), "getStorageSync": get(true),
		"removeStorage": remove, "removeStorageSync": remove,
		"clearStorage": clear, "clearStorageSync": clear,
		"getStorageInfo": info, "getStorageInfoSync": info,
	} {
		s.gw.Register(name, h)
	}
}

// appStorage is the namespace of the app that really sent the call.
func (s *Session) appStorage(snd bridge.Sender) (*storage.AppStore, error) {
	if s.opts.Storage == nil {
		return nil, errors.New("no storage in this shell")
	}
	if snd.App == "" {
		return nil, errors.New("no sender")
	}
	return s.opts.Storage.App(snd.App)
}

// storageErr turns storage's errors into WeChat's reasons. Anything else is logged and
// reported as an internal error: its text could name files.
func (s *Session) storageErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, storage.ErrNoKey):
		return errors.New("data not found")
	case errors.Is(err, storage.ErrKeyTooLarge):
		return errors.New("exceed storage item max length")
	case errors.Is(err, storage.ErrQuota):
		return fmt.Errorf("exceed storage max size %dMb", s.opts.Config.Storage.MaxAppBytes>>20)
	case errors.Is(err, storage.ErrInvalid):
		return fmt.Errorf("parameter error: %v", err)
	}
	s.log.Error("storage", "err", err)
	return errors.New("internal error")
}

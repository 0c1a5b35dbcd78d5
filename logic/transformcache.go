package logic

import (
	"encoding/json"

	"github.com/sandframe/sandframe/internal/jsc"
)

// TransformCache keeps what jsc made of an ES module or TypeScript file (the CommonJS
// code and its source map) across shell restarts: the disk level of the code cache
// (host's diskcache.go, internal/codecache). goja's compiled programs cannot be kept on
// disk; the esbuild transform, the costly part for module code, can. Get must only
// answer what Put stored for the same file and content (the cache checks each entry's
// MAC, and a miss only costs the transform).
type TransformCache interface {
	Get(file string, src []byte) ([]byte, bool)
	Put(file string, src []byte, out []byte)
}

// transformEntry is a cached jsc.Output.
type transformEntry struct {
	Code string `json:"code"`
	Map  []byte `json:"map"`
}

// transform is jsc.Transform through tc.
func transform(file string, src []byte, tc TransformCache) (jsc.Output, error) {
	if tc != nil {
		if raw, ok := tc.Get(file, src); ok {
			var e transformEntry
			if json.Unmarshal(raw, &e) == nil && e.Code != "" {
				return jsc.Output{Code: e.Code, Map: e.Map}, nil
			}
		}
	}
	out, err := jsc.Transform(file, src)
	if err != nil || tc == nil {
		return out, err
	}
	if raw, err := json.Marshal(transformEntry{Code: out.Code, Map: out.Map}); err == nil {
		tc.Put(file, src, raw)
	}
	return out, nil
}

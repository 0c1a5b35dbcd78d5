package logic

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/bridge"
)

// Queries and motion (docs/queries.md): js/query.js builds SelectorQuery,
// IntersectionObserver, MediaQueryObserver, Animation and this.animate on the
// framework's instances. It is a function expression of its own, run before the
// framework, that the framework calls with the few internals it needs (host.queryModule).
// Its questions to the page leave as query messages after the turn's render push, so
// a query sees the setData made before it, as in WeChat.

//go:embed js/query.js
var queryJS string

const queryFile = "sandframe:query.js"

var (
	queryOnce sync.Once
	queryProg *goja.Program
	errQuery  error
)

// addQueryNatives gives the framework's host object queryModule (query.js's
// function) and query(op, owner, specJSON, id) → id, which queues a question.
func (r *Runtime) addQueryNatives(h *goja.Object) {
	queryOnce.Do(func() { queryProg, errQuery = goja.Compile(queryFile, queryJS, true) })
	if errQuery != nil {
		panic(fmt.Errorf("logic: compile query.js: %w", errQuery))
	}
	mod, err := r.vm.RunProgram(queryProg)
	if err != nil {
		panic(fmt.Errorf("logic: run query.js: %w", err))
	}
	_ = h.Set("queryModule", mod)
	_ = h.Set("query", func(c goja.FunctionCall) goja.Value {
		id := uint64(c.Argument(3).ToInteger())
		if id == 0 {
			r.querySeq++
			id = r.querySeq
		}
		q := bridge.Query{ID: id, Op: c.Argument(0).String(), Owner: c.Argument(1).String()}
		if spec := c.Argument(2); !goja.IsUndefined(spec) && !goja.IsNull(spec) {
			q.Spec = json.RawMessage(spec.String())
		}
		if err := bridge.CheckQuery(&q); err != nil {
			panic(r.jsError("%s", err.Error()))
		}
		env, err := bridge.NewEnvelope(bridge.KindQuery, q)
		if err != nil {
			panic(r.jsError("query: %v", err))
		}
		r.queryOut = append(r.queryOut, env)
		return r.vm.ToValue(id)
	})
}

// flushQueries sends the turn's questions, after its render push.
func (r *Runtime) flushQueries() {
	out := r.queryOut
	r.queryOut = nil
	for _, env := range out {
		r.send(env)
	}
}

// applyQueryResult hands an answer or notification to query.js.
func (r *Runtime) applyQueryResult(res bridge.QueryResult) {
	result := ""
	if len(res.Result) > 0 {
		result = string(res.Result)
	}
	r.call(r.fw.queryResult, res.ID, result, res.Error)
}

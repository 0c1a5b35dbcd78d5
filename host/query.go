package host

import (
	"bytes"
	"encoding/json"

	"github.com/sandframe/sandframe/bridge"
)

// forwardQuery takes a query logic sent (selector query, observer, animation; see
// docs/queries.md) to the page, after the bridge's checks: a strict payload, a known
// op, an owner open in the window, a bound on the questions waiting. A refused query
// is answered to logic at once with its reason; the page never sees it.
func (s *Session) forwardQuery(env bridge.Envelope) {
	var q bridge.Query
	dec := json.NewDecoder(bytes.NewReader(env.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		s.log.Error("query message", "err", err)
		return
	}
	if err := bridge.CheckQuery(&q); err != nil {
		s.refuseQuery(q, err)
		return
	}
	if q.Op == "disconnect" {
		s.gate.EndQuery(q.ID)
	} else if err := s.gate.ExpectQuery(q); err != nil {
		s.refuseQuery(q, err)
		return
	}
	out, err := bridge.NewEnvelope(bridge.KindQuery, q)
	if err != nil {
		s.gate.EndQuery(q.ID)
		s.refuseQuery(q, err)
		return
	}
	s.toPage(out)
}

func (s *Session) refuseQuery(q bridge.Query, err error) {
	s.log.Warn("query refused", "op", q.Op, "owner", q.Owner, "err", err)
	if q.ID == 0 || q.Op == "disconnect" {
		return
	}
	s.deliverLogic(bridge.KindQueryResult, bridge.QueryResult{ID: q.ID, Error: err.Error()})
}

package bridge

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// Media (docs/components.md): wx.createVideoContext, createAudioContext and
// createInnerAudioContext send their commands as "media" render ops; the audio element
// the page keeps for an InnerAudioContext reports back through a "host" event whose
// handler is "media"; and the page asks the host for a media source (WebKitGTK cannot
// play one from a custom scheme) with the host event "mediaSource", answered by a ui
// "media" op. All three are checked here.

// The commands a media op may carry: for a <video>/<audio> of a template, and for an
// InnerAudioContext (target "app").
var (
	elementMediaCommands = map[string]bool{"play": true, "pause": true, "stop": true, "seek": true,
		"playbackRate": true, "requestFullScreen": true, "exitFullScreen": true, "setSrc": true}
	audioMediaCommands = map[string]bool{"src": true, "set": true, "play": true, "pause": true,
		"stop": true, "seek": true, "destroy": true}
	mediaEventTypes = map[string]bool{"canplay": true, "play": true, "pause": true, "stop": true,
		"ended": true, "timeupdate": true, "error": true, "waiting": true, "seeking": true, "seeked": true}
	audioContextID = regexp.MustCompile(`^a[1-9][0-9]{0,8}$`)
	mediaRequestID = regexp.MustCompile(`^m[1-9][0-9]{0,8}$`)
)

const maxMediaArgs = 8 << 10 // a src URL and a few numbers

func checkMediaOp(op RenderOp) error {
	switch {
	case op.Target == "app":
		if !audioContextID.MatchString(op.ID) {
			return fmt.Errorf("id: %q is not an audio context id", truncate(op.ID, 32))
		}
		if !audioMediaCommands[op.Cmd] {
			return fmt.Errorf("cmd: %q is not an audio context command", truncate(op.Cmd, 32))
		}
	case isInstanceID('p', op.Target) || isInstanceID('c', op.Target):
		if op.ID == "" || len(op.ID) > maxElementIDLen {
			return fmt.Errorf("id: the element id must be 1 to %d bytes", maxElementIDLen)
		}
		if !elementMediaCommands[op.Cmd] {
			return fmt.Errorf("cmd: %q is not a media command", truncate(op.Cmd, 32))
		}
	default:
		return fmt.Errorf("target: %q is not \"app\", a page or a component id", truncate(op.Target, 32))
	}
	if len(op.Args) > maxMediaArgs {
		return fmt.Errorf("args: longer than %d bytes", maxMediaArgs)
	}
	if len(op.Args) > 0 {
		var args map[string]json.RawMessage
		if err := json.Unmarshal(op.Args, &args); err != nil {
			return fmt.Errorf("args: must be an object")
		}
	}
	return nil
}

// MediaEvent is the detail of a "media" host event: what an InnerAudioContext's element
// reported.
type MediaEvent struct {
	ID          string  `json:"id"`
	Type        string  `json:"type"`
	CurrentTime float64 `json:"currentTime"`
	Duration    float64 `json:"duration"`
	Paused      bool    `json:"paused"`
	Buffered    float64 `json:"buffered"`
	ErrMsg      string  `json:"errMsg,omitempty"`
	ErrCode     int     `json:"errCode,omitempty"`
}

func validateMediaEvent(detail json.RawMessage) error {
	var m MediaEvent
	if err := json.Unmarshal(detail, &m); err != nil {
		return refuse("payload.event.detail", "media needs {id, type, currentTime, duration, paused, buffered}")
	}
	if !audioContextID.MatchString(m.ID) {
		return refuse("payload.event.detail.id", "%q is not an audio context id", truncate(m.ID, 32))
	}
	if !mediaEventTypes[m.Type] {
		return refuse("payload.event.detail.type", "%q is not a media event", truncate(m.Type, 32))
	}
	if len(m.ErrMsg) > maxProbeError {
		return refuse("payload.event.detail.errMsg", "longer than %d bytes", maxProbeError)
	}
	return nil
}

// MediaSource is the detail of a "mediaSource" host event: the page wants the bytes of
// a bundle file (Kind "bundle", Ref its path) or a remote source (Kind "media", Ref its
// https URL) to play; ID names the request in the answer.
type MediaSource struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Ref  string `json:"ref"`
}

func validateMediaSource(detail json.RawMessage) error {
	var m MediaSource
	if err := json.Unmarshal(detail, &m); err != nil {
		return refuse("payload.event.detail", "mediaSource needs {id, kind, ref}")
	}
	if !mediaRequestID.MatchString(m.ID) {
		return refuse("payload.event.detail.id", "%q is not a media request id", truncate(m.ID, 32))
	}
	if m.Kind != "bundle" && m.Kind != "media" {
		return refuse("payload.event.detail.kind", "%q is not bundle or media", truncate(m.Kind, 32))
	}
	if m.Ref == "" || len(m.Ref) > maxURLLen {
		return refuse("payload.event.detail.ref", "must be 1 to %d bytes", maxURLLen)
	}
	return nil
}

package bridge

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// Media contexts (docs/components.md): wx.createVideoContext, createAudioContext and
// createInnerAudioContext send their commands as "media" render ops; the audio element
// the page keeps for an InnerAudioContext reports back through a "host" event whose
// handler is "media". Both are checked here.

// MediaCommands are the commands a media op may carry: for a <video>/<audio> of a
// template, and for an InnerAudioContext (target "app").
var (
	elementMediaCommands = map[string]bool{"play": true, "pause": true, "stop": true, "seek": true,
		"playbackRate": true, "requestFullScreen": true, "exitFullScreen": true, "setSrc": true}
	audioMediaCommands = map[string]bool{"src": true, "set": true, "play": true, "pause": true,
		"stop": true, "seek": true, "destroy": true}
	mediaEventTypes = map[string]bool{"canplay": true, "play": true, "pause": true, "stop": true,
		"ended": true, "timeupdate": true, "error": true, "waiting": true, "seeking": true, "seeked": true}
	audioContextID = regexp.MustCompile(`^a[1-9][0-9]{0,8}$`)
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

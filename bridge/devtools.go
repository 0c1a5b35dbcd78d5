package bridge

// DevTools' privileged kinds (docs/devtools.md). Only the DevTools window of `shell dev`
// speaks them; a mini-app page that sends one is refused at its gate and audited, as
// for the launcher's kinds.
const (
	KindDevTools       Kind = "devtools"       // DevTools page → host: {"id", "op", "args"}
	KindDevToolsResult Kind = "devtoolsResult" // host → DevTools page: {"id", "ok", "result"|"error"}
)

var devtoolsKinds = map[Kind]bool{KindDevTools: true, KindDevToolsResult: true}

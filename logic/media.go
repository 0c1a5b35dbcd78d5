package logic

import (
	"github.com/dop251/goja"
)

// maxMediaArgs bounds one media command's arguments (bridge.CheckRender refuses more).
const maxMediaArgs = 8 << 10

// mediaOp is the framework's host.media(target, id, cmd, argsJSON): a media context's
// command (wx.createVideoContext, createAudioContext, createInnerAudioContext) becomes a
// "media" op of this turn's render push, in order with its setData (docs/components.md).
// argsJSON is the framework's own JSON.stringify of a plain object.
func (r *Runtime) mediaOp(c goja.FunctionCall) goja.Value {
	target, id, cmd, args := c.Argument(0).String(), c.Argument(1).String(), c.Argument(2).String(), c.Argument(3).String()
	if len(args) > maxMediaArgs {
		panic(r.jsError("%s: the arguments are longer than %d bytes", cmd, maxMediaArgs))
	}
	if args == "" || args == "undefined" {
		args = "{}"
	}
	r.batch.media(target, id, cmd, args)
	return goja.Undefined()
}

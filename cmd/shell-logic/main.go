// Command shell-logic runs one isolated mini-app's logic for the shell (isolate.ServeChild):
// the shell starts it, beside itself, with isolate.ChildArg. It is the shell's own child
// code without GTK and WebKit: the shell binary links about 170 shared libraries, which
// the dynamic loader resolves at every start (they are linked BIND_NOW), so the shell
// started as a child took 190 ms and 78 MB to reach its main; this binary takes 30 ms
// and 22 MB (docs/isolate.md, "The child binary"). When it is missing, the shell
// starts itself as the child, as before.
package main

import (
	"os"

	"github.com/sandframe/sandframe/isolate"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != isolate.ChildArg {
		os.Stderr.WriteString("shell-logic: the shell starts this program; it is not run by hand\n")
		os.Exit(2)
	}
	os.Exit(isolate.ServeChild(os.Stdin, os.Stdout, nil))
}

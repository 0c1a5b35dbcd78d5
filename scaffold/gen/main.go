// Command gen writes sf.d.ts (scaffold.SfTypings) from the host API registry:
// `go generate ./scaffold` keeps docs/sf.d.ts, the copy the docs link to, current.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/sandframe/sandframe/scaffold"
)

func main() {
	out := flag.String("o", "sf.d.ts", "file to write")
	flag.Parse()
	if err := os.WriteFile(*out, []byte(scaffold.SfTypings()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

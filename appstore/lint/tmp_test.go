package lint

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/dop251/goja/parser"
)

func TestTmpDeep(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("N"))
	var src string
	switch os.Getenv("K") {
	case "arr":
		src = "var a = " + strings.Repeat("[", n) + strings.Repeat("]", n)
	case "not":
		src = "var a = " + strings.Repeat("!", n) + "x"
	case "assign":
		src = strings.Repeat("a=", n) + "1"
	case "if":
		src = strings.Repeat("if(1)", n) + ";"
	case "cond":
		src = strings.Repeat("a?b:", n) + "c"
	case "arrow":
		src = strings.Repeat("a=>", n) + "1"
	}
	parser.ParseFile(nil, "", src, 0)
}

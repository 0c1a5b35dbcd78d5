//go:build tools

// Package tools pins the modules the packages are being written against.
package tools

import (
	_ "github.com/dop251/goja"
	_ "github.com/mattn/go-sqlite3"
	_ "github.com/spf13/cobra"
	_ "github.com/spf13/viper"
	_ "github.com/tdewolff/parse/v2/css"
	_ "github.com/webview/webview_go"
	_ "go.uber.org/goleak"
	_ "golang.org/x/time/rate"
	_ "gopkg.in/natefinch/lumberjack.v2"
)

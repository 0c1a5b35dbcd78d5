package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/scaffold"
)

func newNewCmd() *cobra.Command {
	var tmpl, id string
	cmd := &cobra.Command{
		Use:   "new NAME",
		Short: "Start a mini-app project from a template",
		Long: `Write a new mini-app project in the folder NAME, from a template:

  basic       one page with a button and its state
  tabs        two pages under a tab bar, one following the light/dark theme
  component   a page using a custom component twice
  typescript  the basic app in TypeScript, with tsconfig.json, a package.json pinning
              WeChat's typings (miniprogram-api-typings) and typings/sf.d.ts, the
              declarations of Sandframe's own APIs generated from this shell

The project runs at once (shell dev NAME) and passes shell lint. docs/dev.md.`,
		Example: `  shell new hello
  shell new shop --template tabs
  shell new typed --template typescript && cd typed && npm install`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			files, err := scaffold.Write(dir, scaffold.Options{Name: filepath.Base(filepath.Clean(dir)), Template: tmpl, ID: id})
			if err != nil {
				return badInput(err)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Created %s (template %s): %s\n", dir, tmpl, strings.Join(files, ", "))
			fmt.Fprintf(out, "Next: shell dev %s\n", dir)
			if tmpl == "typescript" {
				fmt.Fprintf(out, "Types for your editor: cd %s && npm install\n", dir)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&tmpl, "template", "basic", "basic, tabs, component or typescript")
	cmd.Flags().StringVar(&id, "id", "", "the app's id (default dev.local.NAME)")
	return cmd
}

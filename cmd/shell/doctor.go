package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sandframe/sandframe/doctor"
)

func newDoctorCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor DIR|APP.sfa",
		Short: "Report what in a mini-program the shell does not support, or supports only partly",
		Long: `Report every construct, component and API of one mini-program that the shell does
not support or supports only partly, with file, line and column: load and compile problems,
lint findings, built-in components the runtime does not implement, wx/sf APIs it does not
implement, and app.json keys it ignores. It never stops at the first problem.
Exit status: 0 when the shell would run the app, 1 when something blocks it, 2 for bad input.
The JSON form (--json) is described in docs/doctor.md.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(g, nil)
			if err != nil {
				return err
			}
			fsys, err := appFS(args[0])
			if err != nil {
				return badInput(err)
			}
			r, err := doctor.Check(fsys, doctor.Options{Block: blockingSeverities(cfg)})
			if err != nil {
				return badInput(fmt.Errorf("%s: %w", args[0], err))
			}
			w := cmd.OutOrStdout()
			if asJSON {
				err = doctor.WriteJSON(w, r)
			} else {
				err = doctor.WriteText(w, r)
			}
			if err != nil {
				return err
			}
			if !r.Runs {
				return fmt.Errorf("%s: does not run: %d blocking", args[0], r.Counts.Blocking)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

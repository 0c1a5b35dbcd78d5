package main

import (
	"github.com/spf13/cobra"

	login "github.com/sandframe/sandframe/identity"
)

// newIdentityCmd is `shell identity`: what an app's backend runs to check a wx.login
// code (the logic is identity.RunVerify; docs/identity-login.md).
func newIdentityCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "identity", Short: "Check the login codes wx.login gives mini-apps"}
	var r login.VerifyRequest
	v := &cobra.Command{
		Use:   "verify CODE",
		Short: "Verify a login code and print the user's pseudonymous id for the app (CODE - reads stdin)",
		Long: "Verify a wx.login code: its signature by the key it carries, that its user id is that key's\n" +
			"thumbprint, that it is for --app and not expired, and (with --key) that the key is the pinned one.\n" +
			"Prints the user's id for the app; exits 1 when the code does not verify.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r.Code, r.In = args[0], cmd.InOrStdin()
			return login.RunVerify(cmd.OutOrStdout(), r)
		},
	}
	v.Flags().StringVar(&r.App, "app", "", "the app id the code must be for (ID, or ID@KEYID to require that signer)")
	v.Flags().StringVar(&r.Key, "key", "", "the user's pinned public key (or id) from their first login")
	v.Flags().BoolVar(&r.JSON, "json", false, "print the id, the key to pin and the claims as JSON")
	cmd.AddCommand(v)
	return cmd
}

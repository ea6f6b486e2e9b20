package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// newSimCmd returns `goclouds sim`: the CloudStack API simulator served over
// HTTP until the context is cancelled (SIGINT or SIGTERM).
func newSimCmd(env *cliEnv) *cobra.Command {
	var (
		listen, path, apiKey, secretKey, vmAddress string
		jobDelay                                   time.Duration
		vms, throttle                              int
		throttleAdmin                              bool
	)
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Serve the CloudStack API simulator",
		Long: `Serve a simulated Apache CloudStack management server.

Real CloudStack clients (Libcloud, cs, cloudmonkey, goclouds) work against it:
point them at the printed endpoint with the printed API and secret keys. The
simulator has two zones, templates (including "tiny Linux"), service offerings
(tinyOffering, Small Instance, Medium Instance, Large Instance), disk and
network offerings, and two accounts: the root admin "admin" (--api-key,
--secret-key) and the normal account "user". State lives in memory only.`,
		Example: `  goclouds sim
  goclouds sim --listen 127.0.0.1:9090 --job-delay 2s --vms 3
  goclouds sim --throttle 25   # api.throttling.max 25 a second per account`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !strings.HasPrefix(path, "/") {
				path = "/" + path
			}
			if vms < 0 {
				return fmt.Errorf("--vms must not be negative")
			}
			if throttle < 0 {
				return fmt.Errorf("--throttle must not be negative")
			}
			sim := cloudstacksim.New(&cloudstacksim.Options{APIKey: apiKey, SecretKey: secretKey, Paths: []string{path},
				JobDelay: jobDelay, VMs: vms, VMAddress: vmAddress})
			sim.SetThrottle(cloudstacksim.Throttle{Max: throttle, Interval: time.Second, ExemptRootAdmin: !throttleAdmin})
			admin, usr := sim.AdminCredentials(), sim.UserCredentials()
			adminSecret := admin.SecretKey
			if cmd.Flags().Changed("secret-key") {
				adminSecret = "(as given by --secret-key)"
			}
			fmt.Fprintf(env.stdout, "account %-5s api key: %s\n", admin.Account, admin.APIKey)
			fmt.Fprintf(env.stdout, "account %-5s secret key: %s\n", admin.Account, adminSecret)
			fmt.Fprintf(env.stdout, "account %-5s api key: %s\n", usr.Account, usr.APIKey)
			fmt.Fprintf(env.stdout, "account %-5s secret key: %s\n", usr.Account, usr.SecretKey)
			return sim.ListenAndServe(cmd.Context(), listen, func(endpoint string) {
				fmt.Fprintf(env.stdout, "listening on %s\n", endpoint)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:8080", "address (host:port) to listen on")
	f.StringVar(&path, "path", cloudstacksim.DefaultPath, "URL path of the API")
	f.StringVar(&apiKey, "api-key", cloudstacksim.DefaultAPIKey, "API key of the admin account")
	f.StringVar(&secretKey, "secret-key", cloudstacksim.DefaultSecretKey, "secret key of the admin account")
	f.DurationVar(&jobDelay, "job-delay", time.Second, "how long async jobs stay pending")
	f.IntVar(&vms, "vms", 0, "number of running VMs the admin account starts with")
	f.IntVar(&throttle, "throttle", 0, "API rate limit: requests a second per account, refused over it with the real HTTP 429 (0: off)")
	f.BoolVar(&throttleAdmin, "throttle-admin", false, "throttle the root admin account too (the real server exempts it)")
	f.StringVar(&vmAddress, "vm-address", "", "IP address given to every new VM's NIC (e.g. 127.0.0.1 for SSH deployment tests)")
	return cmd
}

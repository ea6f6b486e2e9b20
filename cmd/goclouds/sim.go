package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
	"github.com/goclouds/goclouds/providers/vsphere/vspheresim"
	"github.com/goclouds/goclouds/types"
)

// simFlags are the values of `goclouds sim`'s flags, which every
// provider's simulator draws from.
type simFlags struct {
	listen, path, apiKey, secretKey, vmAddress string
	jobDelay                                   time.Duration
	vms, throttle                              int
	throttleAdmin                              bool
	// changed reports whether the flag was given on the command line.
	changed func(name string) bool
}

// simServer is one provider's simulator for `goclouds sim --provider`.
type simServer struct {
	// listen is the default --listen address.
	listen string
	// flags are the sim flags it reads besides --listen; giving another is
	// a usage error.
	flags []string
	// serve runs the simulator until ctx is done, writing to out the lines
	// that point clients at it, the last "listening on ENDPOINT".
	serve func(ctx context.Context, f *simFlags, out io.Writer) error
}

// simServers are the simulators `goclouds sim --provider` serves, by
// provider.
var simServers = map[types.Provider]simServer{
	types.ProviderCloudStack: {
		listen: "127.0.0.1:8080",
		flags:  simFlagNames,
		serve:  serveCloudStackSim,
	},
	types.ProviderVSphere: {listen: "127.0.0.1:8989", serve: serveVSphereSim},
	types.ProviderEC2: {
		listen: "127.0.0.1:8788",
		flags:  []string{"api-key", "secret-key", "job-delay", "vms", "throttle"},
		serve:  serveEC2Sim,
	},
	types.ProviderOpenStack: {
		listen: "127.0.0.1:5000",
		flags:  []string{"api-key", "secret-key", "job-delay", "vms", "throttle"},
		serve:  serveOpenStackSim,
	},
}

// simFlagNames are the flags of `goclouds sim` that only some simulators
// read.
var simFlagNames = []string{"path", "api-key", "secret-key", "job-delay", "vms", "throttle", "throttle-admin", "vm-address"}

// newSimCmd returns `goclouds sim`: a provider's simulator (CloudStack's by
// default) served until the context is cancelled (SIGINT or SIGTERM).
func newSimCmd(env *cliEnv) *cobra.Command {
	f := &simFlags{}
	cmd := &cobra.Command{
		Use:   "sim [--provider cloudstack|ec2|openstack|vsphere]",
		Short: "Serve a provider's simulator (CloudStack's by default)",
		Long: `Serve a simulated cloud until interrupted.

--provider cloudstack (the default): a simulated Apache CloudStack management
server. Real CloudStack clients (Libcloud, cs, cloudmonkey, goclouds) work
against it: point them at the printed endpoint with the printed API and secret
keys. The simulator has two zones, templates (including "tiny Linux"), service
offerings (tinyOffering, Small Instance, Medium Instance, Large Instance), disk
and network offerings, and two accounts: the root admin "admin" (--api-key,
--secret-key) and the normal account "user". State lives in memory only.

--provider vsphere: VMware's own vSphere simulator, vcsim (from govmomi), as a
vCenter over TLS (datacenter DC0 with a cluster and a host, their VMs and a
template "tmpl"), with a stand-in for VMware Tools that gives powered-on VMs an
address. It prints the govc variables (GOVC_URL, GOVC_USERNAME, GOVC_PASSWORD,
GOVC_TLS_CA_CERTS) that point govc and 'goclouds --provider vsphere' at it.

--provider ec2: a simulated Amazon EC2 Query API (botocore's EC2 model;
127.0.0.1:8788 by default). It prints the AWS variables (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL) that point awscli,
boto3 and 'goclouds --provider ec2' at it.

--provider openstack: a simulated OpenStack cloud (Keystone v3, Nova, Glance,
Cinder and Neutron on one port, 127.0.0.1:5000 by default). It prints the
openrc variables (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, ...)
that point the openstack CLI, openstacksdk and 'goclouds --provider openstack'
at it; --api-key and --secret-key set the admin user's name and password.`,
		Example: `  goclouds sim
  goclouds sim --listen 127.0.0.1:9090 --job-delay 2s --vms 3
  goclouds sim --throttle 25   # api.throttling.max 25 a second per account
  goclouds sim --provider vsphere
  goclouds sim --provider openstack
  goclouds sim --provider ec2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			provider := types.ProviderCloudStack
			if env.root.PersistentFlags().Changed("provider") {
				provider = types.Provider(env.flags.provider).Normalize()
			}
			s, ok := simServers[provider]
			if !ok {
				return usageErrorf("no simulator for provider %q; goclouds sim serves %s", provider, strings.Join(simProviders(), ", "))
			}
			f.changed = cmd.Flags().Changed
			for _, name := range simFlagNames {
				if f.changed(name) && !slices.Contains(s.flags, name) {
					return usageErrorf("--%s does not apply to the %s simulator", name, provider)
				}
			}
			if !f.changed("listen") {
				f.listen = s.listen
			}
			return s.serve(cmd.Context(), f, env.stdout)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "", "address (host:port) to listen on (default 127.0.0.1:8080; vsphere: 127.0.0.1:8989, vcsim's)")
	fl.StringVar(&f.path, "path", cloudstacksim.DefaultPath, "URL path of the API")
	fl.StringVar(&f.apiKey, "api-key", cloudstacksim.DefaultAPIKey, "API key of the admin account")
	fl.StringVar(&f.secretKey, "secret-key", cloudstacksim.DefaultSecretKey, "secret key of the admin account")
	fl.DurationVar(&f.jobDelay, "job-delay", time.Second, "how long async jobs stay pending")
	fl.IntVar(&f.vms, "vms", 0, "number of running VMs the admin account starts with")
	fl.IntVar(&f.throttle, "throttle", 0, "API rate limit: requests a second per account, refused over it with the real HTTP 429 (0: off)")
	fl.BoolVar(&f.throttleAdmin, "throttle-admin", false, "throttle the root admin account too (the real server exempts it)")
	fl.StringVar(&f.vmAddress, "vm-address", "", "IP address given to every new VM's NIC (e.g. 127.0.0.1 for SSH deployment tests)")
	return cmd
}

// simProviders returns the providers `goclouds sim` serves, sorted.
func simProviders() []string {
	var names []string
	for _, p := range slices.Sorted(maps.Keys(simServers)) {
		names = append(names, string(p))
	}
	return names
}

// serveCloudStackSim serves cloudstacksim, printing the accounts' keys.
func serveCloudStackSim(ctx context.Context, f *simFlags, out io.Writer) error {
	path := f.path
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if f.vms < 0 {
		return usageErrorf("--vms must not be negative")
	}
	if f.throttle < 0 {
		return usageErrorf("--throttle must not be negative")
	}
	sim := cloudstacksim.New(&cloudstacksim.Options{APIKey: f.apiKey, SecretKey: f.secretKey, Paths: []string{path},
		JobDelay: f.jobDelay, VMs: f.vms, VMAddress: f.vmAddress})
	sim.SetThrottle(cloudstacksim.Throttle{Max: f.throttle, Interval: time.Second, ExemptRootAdmin: !f.throttleAdmin})
	admin, usr := sim.AdminCredentials(), sim.UserCredentials()
	adminSecret := admin.SecretKey
	if f.changed("secret-key") {
		adminSecret = "(as given by --secret-key)"
	}
	fmt.Fprintf(out, "account %-5s api key: %s\n", admin.Account, admin.APIKey)
	fmt.Fprintf(out, "account %-5s secret key: %s\n", admin.Account, adminSecret)
	fmt.Fprintf(out, "account %-5s api key: %s\n", usr.Account, usr.APIKey)
	fmt.Fprintf(out, "account %-5s secret key: %s\n", usr.Account, usr.SecretKey)
	return sim.ListenAndServe(ctx, f.listen, func(endpoint string) {
		fmt.Fprintf(out, "listening on %s\n", endpoint)
	})
}

// serveEC2Sim serves ec2sim, printing the AWS variables that point awscli,
// boto3, the SDKs and 'goclouds --provider ec2' at it; --api-key and
// --secret-key, when given, are the access key id and secret it accepts.
func serveEC2Sim(ctx context.Context, f *simFlags, out io.Writer) error {
	if f.vms < 0 || f.throttle < 0 {
		return usageErrorf("--vms and --throttle must not be negative")
	}
	cfg := ec2sim.Config{Addr: f.listen, Instances: f.vms, TransitionDelay: f.jobDelay, Throttle: f.throttle}
	if f.changed("api-key") {
		cfg.AccessKey = f.apiKey
	}
	if f.changed("secret-key") {
		cfg.SecretKey = f.secretKey
	}
	return ec2sim.Run(ctx, cfg, out)
}

// serveOpenStackSim serves openstacksim (Keystone, Nova, Glance, Cinder and
// Neutron on one port), printing the openrc exports of its admin user;
// --api-key and --secret-key, when given, are that user's name and
// password.
func serveOpenStackSim(ctx context.Context, f *simFlags, out io.Writer) error {
	if f.vms < 0 || f.throttle < 0 {
		return usageErrorf("--vms and --throttle must not be negative")
	}
	cfg := openstacksim.Config{Addr: f.listen, Servers: f.vms, TransitionDelay: f.jobDelay, Throttle: f.throttle}
	if f.changed("api-key") {
		cfg.Username = f.apiKey
	}
	if f.changed("secret-key") {
		cfg.Password = f.secretKey
	}
	return openstacksim.Run(ctx, cfg, out)
}

// serveVSphereSim serves vcsim through vspheresim, with the VMware Tools
// stand-in, printing the govc variables as shell exports.
func serveVSphereSim(ctx context.Context, f *simFlags, out io.Writer) error {
	s, err := vspheresim.Start(ctx, &vspheresim.Options{Listen: f.listen, Tools: true})
	if err != nil {
		return err
	}
	defer s.Close()
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(out, "export %s=%s\n", k, shellQuote(v))
	}
	fmt.Fprintf(out, "listening on %s\n", s.URL)
	<-ctx.Done()
	return nil
}

// shellQuote returns v as a POSIX shell word: as it is when it holds only
// characters the shell takes literally, else in single quotes.
func shellQuote(v string) string {
	if v != "" && strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "" {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

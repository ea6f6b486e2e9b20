package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/types"
)

// The environment variables the CLI reads (the Terraform provider's names
// for CloudStack, as the provider's FromEnvironment reads them first).
const (
	envURL       = cloudstack.EnvAPIURL
	envAPIKey    = cloudstack.EnvAPIKey
	envSecretKey = cloudstack.EnvSecretKey
	envTimeout   = "CLOUDSTACK_TIMEOUT"
	envCAFile    = "CLOUDSTACK_CA_FILE"
	envProvider  = "GOCLOUDS_PROVIDER"
)

// defaultProvider is used when no flag, variable or profile names one.
const defaultProvider = types.ProviderCloudStack

// globalFlags are the flags every command accepts.
type globalFlags struct {
	provider  string
	url       string
	apiKey    string
	secretKey string
	region    string
	insecure  bool
	timeout   string
	caFile    string
	output    string
	debug     bool
	profile   string
	config    string
	options   []string
}

func (env *cliEnv) addGlobalFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	g := &env.flags
	f.StringVar(&g.provider, "provider", "", "provider name (env "+envProvider+"; default cloudstack; see 'goclouds providers list')")
	f.StringVar(&g.url, "url", "", "API endpoint URL (env "+envURL+")")
	f.StringVar(&g.apiKey, "api-key", "", "API key (env "+envAPIKey+")")
	f.StringVar(&g.secretKey, "secret-key", "", "secret key (env "+envSecretKey+"); prefer the environment or the config file, flags show in ps")
	f.StringVar(&g.region, "region", "", "region, for providers that have them")
	f.BoolVar(&g.insecure, "insecure", false, "skip TLS certificate verification (and allow plain HTTP endpoints)")
	f.StringVar(&g.caFile, "ca-file", "", "PEM file of certificate authorities to trust besides the system's, such as a private CA (env "+envCAFile+"; CloudStack providers)")
	f.StringVar(&g.timeout, "timeout", "", "time limit for the whole command, as 90s, 5m or seconds (env "+envTimeout+")")
	f.StringVarP(&g.output, "output", "o", "table", "output format: table, json, yaml or csv")
	f.BoolVar(&g.debug, "debug", false, "log requests and responses on stderr, secrets redacted")
	f.StringVar(&g.profile, "profile", "", "cloudmonkey profile to use (default: the config file's 'profile' option)")
	f.StringVar(&g.config, "config", "", "cloudmonkey config file (default ~/.cmk/config)")
	f.StringArrayVar(&g.options, "option", nil, "provider-specific option key=value (repeatable; see docs/cli.md)")
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(outputFormats, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("profile", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return env.profileNames(), cobra.ShellCompDirectiveNoFileComp
	})
	_ = root.RegisterFlagCompletionFunc("provider", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return providerNames(), cobra.ShellCompDirectiveNoFileComp
	})
}

// settings is the resolved configuration: flags, then environment, then the
// cloudmonkey config file.
type settings struct {
	provider  types.Provider
	url       string
	apiKey    string
	secretKey string
	region    string
	insecure  bool
	timeout   time.Duration
	// options are the provider-specific --option values.
	options map[string]any

	// configFile is the config file read ("" when none) and profile the
	// profile used from it.
	configFile string
	profile    string
	// passwordLogin is set when the profile has a username and password,
	// cloudmonkey's alternative to keys, which goclouds does not use.
	passwordLogin bool
	// sources says where each setting came from, for --debug.
	sources map[string]string
}

// value is one candidate value of a setting and where it comes from.
type value struct {
	v, source string
}

// first returns the first candidate with a non-empty value.
func first(candidates ...value) value {
	for _, c := range candidates {
		if c.v != "" {
			return c
		}
	}
	return value{}
}

// flagValue is the flag's value when it was given on the command line.
func (env *cliEnv) flagValue(name, v string) value {
	if env.root.PersistentFlags().Changed(name) {
		return value{v, "flag --" + name}
	}
	return value{}
}

// envValue is the environment variable's value.
func (env *cliEnv) envValue(name string) value {
	return value{strings.TrimSpace(env.getenv(name)), "env " + name}
}

// resolveSettings merges flags, environment and config file.
func (env *cliEnv) resolveSettings() (*settings, error) {
	g := &env.flags
	s := &settings{sources: map[string]string{}}
	file, err := env.loadConfigFile(s)
	if err != nil {
		return nil, err
	}
	fileValue := func(inCore bool, keys ...string) value {
		if file == nil {
			return value{}
		}
		v, _ := file.Lookup(s.profile, inCore, keys...)
		return value{strings.TrimSpace(v), fmt.Sprintf("config %s [%s]", s.configFile, s.profile)}
	}
	set := func(name string, dst *string, v value) {
		*dst = v.v
		if v.v != "" {
			s.sources[name] = v.source
		}
	}
	var provider string
	set("provider", &provider, first(env.flagValue("provider", g.provider), env.envValue(envProvider), fileValue(false, "provider")))
	s.provider = types.Provider(provider).Normalize()
	if s.provider == "" {
		s.provider = defaultProvider
		s.sources["provider"] = "default"
	}
	set("url", &s.url, first(env.flagValue("url", g.url), env.envValue(envURL), fileValue(false, "url")))
	set("api-key", &s.apiKey, first(env.flagValue("api-key", g.apiKey), env.envValue(envAPIKey), fileValue(false, "apikey")))
	set("secret-key", &s.secretKey, first(env.flagValue("secret-key", g.secretKey), env.envValue(envSecretKey), fileValue(false, "secretkey")))
	set("region", &s.region, first(env.flagValue("region", g.region), fileValue(false, "region")))

	var timeout string
	set("timeout", &timeout, first(env.flagValue("timeout", g.timeout), env.envValue(envTimeout), fileValue(true, "timeout")))
	if timeout != "" {
		if s.timeout, err = parseTimeout(timeout); err != nil {
			return nil, configErrorf("timeout from %s: %v", s.sources["timeout"], err)
		}
	}

	for _, o := range g.options {
		k, v, ok := strings.Cut(o, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usageErrorf("--option %q: want key=value", o)
		}
		if s.options == nil {
			s.options = map[string]any{}
		}
		s.options[strings.TrimSpace(k)] = v
	}

	if s.timeout > 0 && cloudStackFamily[s.provider] && !hasOption(s.options, "job_timeout") {
		// The timeout is Terraform's CLOUDSTACK_TIMEOUT and cloudmonkey's
		// timeout: it bounds async job waits too.
		if s.options == nil {
			s.options = map[string]any{}
		}
		s.options["job_timeout"] = s.timeout.String()
	}

	var caFile string
	set("ca-file", &caFile, first(env.flagValue("ca-file", g.caFile), env.envValue(envCAFile)))
	if caFile != "" && !hasOption(s.options, "ca_file") {
		switch {
		case cloudStackFamily[s.provider]:
			if s.options == nil {
				s.options = map[string]any{}
			}
			s.options["ca_file"] = expandHome(env, caFile)
		case env.root.PersistentFlags().Changed("ca-file"):
			return nil, usageErrorf("--ca-file: the %s provider has no CA setting (CloudStack providers only)", s.provider)
		}
	}

	if env.root.PersistentFlags().Changed("insecure") {
		s.insecure = g.insecure
		s.sources["insecure"] = "flag --insecure"
	} else if v := fileValue(true, "verifycert", "verifysslcert"); v.v != "" {
		verify, perr := strconv.ParseBool(v.v)
		if perr != nil {
			return nil, configErrorf("verifycert in %s: %q is not true or false", v.source, v.v)
		}
		s.insecure = !verify
		s.sources["insecure"] = v.source
	}
	return s, nil
}

// loadConfigFile reads the cloudmonkey config file named by --config, or
// ~/.cmk/config when it exists, and picks the profile. It returns nil when
// there is no file to read.
func (env *cliEnv) loadConfigFile(s *settings) (*cloudstack.CmkConfig, error) {
	path := env.flags.config
	explicit := path != ""
	if !explicit {
		home := env.getenv("HOME")
		if home == "" {
			home = env.getenv("USERPROFILE")
		}
		if home == "" {
			return nil, nil
		}
		path = filepath.Join(home, ".cmk", "config")
	} else {
		path = expandHome(env, path)
	}
	f, err := os.Open(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			if env.flags.profile != "" {
				return nil, configErrorf("--profile %q: no config file at %s (give one with --config)", env.flags.profile, path)
			}
			return nil, nil
		}
		return nil, configErrorf("config file: %v", err)
	}
	defer f.Close()
	file, err := cloudstack.ParseCmkConfig(f)
	if err != nil {
		return nil, configErrorf("config file %s: %v", path, err)
	}
	s.configFile = path
	s.profile = file.ActiveProfile(env.flags.profile)
	s.passwordLogin = file.Profiles[s.profile]["username"] != "" && file.Profiles[s.profile]["password"] != ""
	if _, ok := file.Profiles[s.profile]; !ok && env.flags.profile != "" {
		return nil, configErrorf("config file %s has no profile %q (profiles: %s)",
			path, s.profile, strings.Join(file.ProfileNames(), ", "))
	}
	return file, nil
}

// parseTimeout accepts a Go duration ("90s", "5m") or a number of seconds
// ("900", as CLOUDSTACK_TIMEOUT and cloudmonkey's timeout give it).
func parseTimeout(text string) (time.Duration, error) {
	var d time.Duration
	if secs, err := strconv.ParseFloat(text, 64); err == nil {
		if secs > float64(1<<63-1)/float64(time.Second) {
			return 0, fmt.Errorf("%q is too long", text)
		}
		d = time.Duration(secs * float64(time.Second))
	} else if d, err = time.ParseDuration(text); err != nil {
		return 0, fmt.Errorf("%q is neither a duration (90s, 5m) nor a number of seconds", text)
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is negative", text)
	}
	return d, nil
}

// cloudStackFamily are the providers served by the CloudStack driver.
var cloudStackFamily = map[types.Provider]bool{
	types.ProviderCloudStack: true, types.ProviderExoscale: true,
	types.ProviderIkoula: true, types.ProviderAuroraCompute: true,
}

// requiredSettings lists what a provider needs before it can be used: the
// presets have a built-in endpoint, plain CloudStack needs one.
func requiredSettings(p types.Provider) []string {
	switch {
	case p == types.ProviderCloudStack:
		return []string{"url", "api-key", "secret-key"}
	case cloudStackFamily[p]:
		return []string{"api-key", "secret-key"}
	}
	return nil
}

// hasOption reports whether options has key, ignoring case, '-' and '_'
// as the providers do.
func hasOption(options map[string]any, key string) bool {
	norm := func(k string) string { return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(k)) }
	for k := range options {
		if norm(k) == norm(key) {
			return true
		}
	}
	return false
}

// settingHelp says how to give each setting.
var settingHelp = map[string]string{
	"url":        "API URL (--url or " + envURL + ")",
	"api-key":    "API key (--api-key or " + envAPIKey + ")",
	"secret-key": "secret key (--secret-key or " + envSecretKey + ")",
}

// checkMissing fails, naming the missing settings and how to give them, when
// the provider cannot be used as configured.
func (s *settings) checkMissing() error {
	var missing []string
	for _, name := range requiredSettings(s.provider) {
		var v string
		switch name {
		case "url":
			v = s.url
		case "api-key":
			v = s.apiKey
		case "secret-key":
			v = s.secretKey
		}
		if v == "" {
			missing = append(missing, settingHelp[name])
		}
	}
	if len(missing) == 0 {
		return nil
	}
	where := "a profile of ~/.cmk/config (url, apikey, secretkey; --profile, --config)"
	if s.configFile != "" {
		where = fmt.Sprintf("profile [%s] of %s (url, apikey, secretkey)", s.profile, s.configFile)
	}
	login := ""
	if s.passwordLogin && (s.apiKey == "" || s.secretKey == "") {
		login = " (goclouds signs requests with API keys, not the profile's username and password: get keys with 'cmk register userkeys id=<user id>' or the UI)"
	}
	return configErrorf("provider %s is not configured: missing %s; set them as flags, in the environment or in %s%s; or try 'goclouds demo' or '--provider dummy' without a cloud",
		s.provider, strings.Join(missing, ", "), where, login)
}

// profileNames lists the config file's profiles, for shell completion.
func (env *cliEnv) profileNames() []string {
	saved := env.flags.profile
	env.flags.profile = "" // list them even if --profile names a missing one
	defer func() { env.flags.profile = saved }()
	file, err := env.loadConfigFile(&settings{})
	if err != nil || file == nil {
		return nil
	}
	return file.ProfileNames()
}

package openstack

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The OS_* variables the driver reads, as the openstack CLI names them.
const (
	EnvCloud                 = "OS_CLOUD"
	EnvClientConfigFile      = "OS_CLIENT_CONFIG_FILE"
	EnvAuthURL               = "OS_AUTH_URL"
	EnvUsername              = "OS_USERNAME"
	EnvUserID                = "OS_USER_ID"
	EnvPassword              = "OS_PASSWORD"
	EnvUserDomainName        = "OS_USER_DOMAIN_NAME"
	EnvUserDomainID          = "OS_USER_DOMAIN_ID"
	EnvProjectName           = "OS_PROJECT_NAME"
	EnvProjectID             = "OS_PROJECT_ID"
	EnvTenantName            = "OS_TENANT_NAME"
	EnvTenantID              = "OS_TENANT_ID"
	EnvProjectDomainName     = "OS_PROJECT_DOMAIN_NAME"
	EnvProjectDomainID       = "OS_PROJECT_DOMAIN_ID"
	EnvAppCredID             = "OS_APPLICATION_CREDENTIAL_ID"
	EnvAppCredName           = "OS_APPLICATION_CREDENTIAL_NAME"
	EnvAppCredSecret         = "OS_APPLICATION_CREDENTIAL_SECRET"
	EnvToken                 = "OS_TOKEN"
	EnvRegionName            = "OS_REGION_NAME"
	EnvInterface             = "OS_INTERFACE"
	EnvCACert                = "OS_CACERT"
	EnvInsecure              = "OS_INSECURE"
	EnvComputeAPIVersion     = "OS_COMPUTE_API_VERSION"
	EnvEndpointTypeDeprecate = "OS_ENDPOINT_TYPE"
)

// FromEnvironment fills the empty fields of o as the openstack CLI would:
// first from the OS_* variables, then from the clouds.yaml entry named by
// o.Cloud or OS_CLOUD (merged with secure.yaml), so that a variable wins
// over the file. clouds.yaml is looked for at OS_CLIENT_CONFIG_FILE, then
// ./clouds.yaml, ~/.config/openstack/clouds.yaml and
// /etc/openstack/clouds.yaml. New calls it when o carries no credential
// (and NoEnvironment is false); fields already set are never changed. A
// named cloud that no file defines, or a file that does not parse, is an
// error.
func (o *Options) FromEnvironment() error { return o.fromEnvironment(os.LookupEnv) }

func (o *Options) fromEnvironment(getenv func(string) (string, bool)) error {
	env := func(names ...string) string {
		for _, n := range names {
			if v, ok := getenv(n); ok && v != "" {
				return v
			}
		}
		return ""
	}
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&o.AuthURL, env(EnvAuthURL))
	fill(&o.Username, env(EnvUsername))
	fill(&o.UserID, env(EnvUserID))
	fill(&o.Password, env(EnvPassword))
	fill(&o.UserDomainName, env(EnvUserDomainName))
	fill(&o.UserDomainID, env(EnvUserDomainID))
	fill(&o.ProjectName, env(EnvProjectName, EnvTenantName))
	fill(&o.ProjectID, env(EnvProjectID, EnvTenantID))
	fill(&o.ProjectDomainName, env(EnvProjectDomainName))
	fill(&o.ProjectDomainID, env(EnvProjectDomainID))
	fill(&o.ApplicationCredentialID, env(EnvAppCredID))
	fill(&o.ApplicationCredentialName, env(EnvAppCredName))
	fill(&o.ApplicationCredentialSecret, env(EnvAppCredSecret))
	fill(&o.Token, env(EnvToken))
	fill(&o.Region, env(EnvRegionName))
	fill(&o.Interface, env(EnvInterface, EnvEndpointTypeDeprecate))
	fill(&o.CAFile, env(EnvCACert))
	fill(&o.ComputeMicroversion, env(EnvComputeAPIVersion))
	if v := env(EnvInsecure); v != "" && !o.Insecure {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%s=%q: want true or false", EnvInsecure, v)
		}
		o.Insecure = b
	}
	fill(&o.Cloud, env(EnvCloud))
	if o.Cloud == "" {
		return nil
	}
	c, err := loadCloud(o.Cloud, env(EnvClientConfigFile))
	if err != nil {
		return err
	}
	c.apply(o)
	return nil
}

// cloudEntry is one entry of clouds.yaml's "clouds" map.
type cloudEntry struct {
	Auth struct {
		AuthURL                     string `yaml:"auth_url"`
		Username                    string `yaml:"username"`
		UserID                      string `yaml:"user_id"`
		Password                    string `yaml:"password"`
		UserDomainName              string `yaml:"user_domain_name"`
		UserDomainID                string `yaml:"user_domain_id"`
		DomainName                  string `yaml:"domain_name"`
		DomainID                    string `yaml:"domain_id"`
		ProjectName                 string `yaml:"project_name"`
		ProjectID                   string `yaml:"project_id"`
		TenantName                  string `yaml:"tenant_name"`
		TenantID                    string `yaml:"tenant_id"`
		ProjectDomainName           string `yaml:"project_domain_name"`
		ProjectDomainID             string `yaml:"project_domain_id"`
		ApplicationCredentialID     string `yaml:"application_credential_id"`
		ApplicationCredentialName   string `yaml:"application_credential_name"`
		ApplicationCredentialSecret string `yaml:"application_credential_secret"`
		Token                       string `yaml:"token"`
	} `yaml:"auth"`
	RegionName         string `yaml:"region_name"`
	Interface          string `yaml:"interface"`
	CACert             string `yaml:"cacert"`
	Verify             *bool  `yaml:"verify"`
	ComputeAPIVersion  string `yaml:"compute_api_version"`
	IdentityAPIVersion string `yaml:"identity_api_version"`
}

// apply fills o's empty fields from c.
func (c *cloudEntry) apply(o *Options) {
	fill := func(dst *string, vs ...string) {
		for _, v := range vs {
			if *dst == "" && v != "" {
				*dst = v
			}
		}
	}
	a := &c.Auth
	fill(&o.AuthURL, a.AuthURL)
	fill(&o.Username, a.Username)
	fill(&o.UserID, a.UserID)
	fill(&o.Password, a.Password)
	fill(&o.UserDomainName, a.UserDomainName, a.DomainName)
	fill(&o.UserDomainID, a.UserDomainID, a.DomainID)
	fill(&o.ProjectName, a.ProjectName, a.TenantName)
	fill(&o.ProjectID, a.ProjectID, a.TenantID)
	fill(&o.ProjectDomainName, a.ProjectDomainName)
	fill(&o.ProjectDomainID, a.ProjectDomainID)
	fill(&o.ApplicationCredentialID, a.ApplicationCredentialID)
	fill(&o.ApplicationCredentialName, a.ApplicationCredentialName)
	fill(&o.ApplicationCredentialSecret, a.ApplicationCredentialSecret)
	fill(&o.Token, a.Token)
	fill(&o.Region, c.RegionName)
	fill(&o.Interface, c.Interface)
	fill(&o.CAFile, c.CACert)
	fill(&o.ComputeMicroversion, c.ComputeAPIVersion)
	if c.Verify != nil && !*c.Verify {
		o.Insecure = true
	}
}

// cloudsFile is the layout of clouds.yaml and secure.yaml.
type cloudsFile struct {
	Clouds map[string]yaml.Node `yaml:"clouds"`
}

// configDirs are the directories clouds.yaml is looked for in, in order.
func configDirs() []string {
	dirs := []string{"."}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".config", "openstack"))
	}
	return append(dirs, "/etc/openstack")
}

// loadCloud reads the named cloud from the first clouds.yaml found (file,
// when set, is the only one looked at) and merges the same entry of the
// secure.yaml beside it over it.
func loadCloud(name, file string) (*cloudEntry, error) {
	var paths []string
	if file != "" {
		paths = []string{file}
	} else {
		for _, d := range configDirs() {
			paths = append(paths, filepath.Join(d, "clouds.yaml"))
		}
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("clouds.yaml: %v", err)
		}
		var f cloudsFile
		if err := yaml.Unmarshal(data, &f); err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		node, ok := f.Clouds[name]
		if !ok {
			return nil, fmt.Errorf("%s has no cloud %q (%s)", p, name, cloudNames(f))
		}
		var c cloudEntry
		if err := node.Decode(&c); err != nil {
			return nil, fmt.Errorf("%s: cloud %q: %v", p, name, err)
		}
		if err := mergeSecure(filepath.Join(filepath.Dir(p), "secure.yaml"), name, &c); err != nil {
			return nil, err
		}
		return &c, nil
	}
	return nil, fmt.Errorf("cloud %q: no clouds.yaml found (looked at %s)", name, strings.Join(paths, ", "))
}

// mergeSecure decodes the named entry of secure.yaml, if the file exists
// and has it, over c: its values win, as in openstacksdk.
func mergeSecure(path, name string, c *cloudEntry) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("secure.yaml: %v", err)
	}
	var f cloudsFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if node, ok := f.Clouds[name]; ok {
		if err := node.Decode(c); err != nil {
			return fmt.Errorf("%s: cloud %q: %v", path, name, err)
		}
	}
	return nil
}

func cloudNames(f cloudsFile) string {
	names := make([]string, 0, len(f.Clouds))
	for n := range f.Clouds {
		names = append(names, n)
	}
	if len(names) == 0 {
		return "it defines none"
	}
	slices.Sort(names)
	return "it has " + strings.Join(names, ", ")
}

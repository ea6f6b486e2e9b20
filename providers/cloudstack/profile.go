package cloudstack

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// CmkConfig is a cloudmonkey configuration file (~/.cmk/config), read as
// cloudmonkey 6 (go-ini) reads it:
//
//	prompt = 🐵            ; core options before any section header
//	profile = prod          ; the active profile
//	timeout = 1800
//	verifycert = true
//
//	[prod]
//	url = https://cloud.example.com/client/api
//	apikey = ...
//	secretkey = ...
//
// Core options are the keys before the first section header, or in a
// [DEFAULT] section (go-ini's name for it), or in a [core] section as
// cloudmonkey 5 wrote them. Every other section is a server profile.
type CmkConfig struct {
	// Core holds the core options, keys in lower case.
	Core map[string]string
	// Profiles maps each profile name to its keys (in lower case).
	Profiles map[string]map[string]string
	// order lists the profile names as they appear in the file.
	order []string
}

// ParseCmkConfig parses an INI file in go-ini's dialect with cloudmonkey's
// load options: "=" or ":" separates a key from its value, lines starting
// with "#" or ";" are comments, inline comments are not stripped (a "#" may
// be part of a secret key), values may be quoted with " or ` or """, and
// keys are matched case-insensitively.
func ParseCmkConfig(r io.Reader) (*CmkConfig, error) {
	c := &CmkConfig{Core: map[string]string{}, Profiles: map[string]map[string]string{}}
	section := c.Core
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		switch {
		case line == "", line[0] == '#', line[0] == ';':
			continue
		case line[0] == '[':
			end := strings.IndexByte(line, ']')
			if end < 0 {
				return nil, fmt.Errorf("line %d: unclosed section header", lineNo)
			}
			name := strings.TrimSpace(line[1:end])
			if name == "" {
				return nil, fmt.Errorf("line %d: empty section name", lineNo)
			}
			if strings.EqualFold(name, "DEFAULT") || strings.EqualFold(name, "core") {
				section = c.Core
				continue
			}
			if _, ok := c.Profiles[name]; !ok {
				c.Profiles[name] = map[string]string{}
				c.order = append(c.order, name)
			}
			section = c.Profiles[name]
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i <= 0 {
			return nil, fmt.Errorf("line %d: want key = value", lineNo)
		}
		key := strings.ToLower(strings.TrimSpace(line[:i]))
		value := strings.TrimSpace(line[i+1:])
		if strings.HasPrefix(value, `"""`) {
			v, err := readTripleQuoted(sc, value[3:], &lineNo)
			if err != nil {
				return nil, err
			}
			value = v
		} else {
			value = unquote(value)
		}
		section[key] = value
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// readTripleQuoted reads a """-quoted value that may span lines.
func readTripleQuoted(sc *bufio.Scanner, first string, lineNo *int) (string, error) {
	var b strings.Builder
	rest := first
	for {
		if end := strings.Index(rest, `"""`); end >= 0 {
			b.WriteString(rest[:end])
			return b.String(), nil
		}
		b.WriteString(rest)
		if !sc.Scan() {
			return "", fmt.Errorf("line %d: unterminated \"\"\" value", *lineNo)
		}
		*lineNo++
		b.WriteByte('\n')
		rest = sc.Text()
	}
}

// unquote removes one pair of matching surrounding quotes (" or `).
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '`') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// ActiveProfile returns the name of the profile to use: explicit when
// given, else the core "profile" option, else cloudmonkey's default
// "localcloud".
func (c *CmkConfig) ActiveProfile(explicit string) string {
	if explicit != "" {
		return explicit
	}
	if p := c.Core["profile"]; p != "" {
		return p
	}
	return "localcloud"
}

// Lookup returns a profile's value for the first of keys it holds, then,
// when inCore, the core options' (cloudmonkey 6 keeps timeout and
// verifycert there, cloudmonkey 5 in each profile).
func (c *CmkConfig) Lookup(profile string, inCore bool, keys ...string) (string, bool) {
	for _, k := range keys {
		if v, ok := c.Profiles[profile][k]; ok {
			return v, true
		}
	}
	if inCore {
		for _, k := range keys {
			if v, ok := c.Core[k]; ok {
				return v, true
			}
		}
	}
	return "", false
}

// ProfileNames returns the profile names, sorted.
func (c *CmkConfig) ProfileNames() []string {
	return slices.Sorted(slices.Values(c.order))
}

// DefaultCmkConfigPath returns cloudmonkey's config file, ~/.cmk/config.
func DefaultCmkConfigPath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".cmk", "config"), nil
}

// ReadCmkConfig reads and parses a cloudmonkey config file.
func ReadCmkConfig(path string) (*CmkConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := ParseCmkConfig(f)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	return c, nil
}

// CmkProfile is a cloudmonkey server profile: what a driver needs of it.
type CmkProfile struct {
	// Name is the profile's name and File the config file it is from.
	Name, File string
	// URL is the API endpoint (url).
	URL string
	// APIKey and SecretKey are the profile's keys (apikey, secretkey).
	APIKey, SecretKey string
	// Username, Password and Domain are cloudmonkey's alternative login,
	// which goclouds does not use (it signs requests with keys).
	Username, Password, Domain string
	// Timeout is cloudmonkey's timeout in seconds as written ("1800"), from
	// the profile or the core options; "" when unset.
	Timeout string
	// Insecure is set when verifycert (cloudmonkey 6, profile or core) or
	// verifysslcert (cloudmonkey 5) is false.
	Insecure bool
}

// String describes the profile without its secret key and password.
func (p CmkProfile) String() string {
	return fmt.Sprintf("CmkProfile{Name:%q File:%q URL:%q APIKey:%q SecretKey:%s Username:%q Password:%s Domain:%q Timeout:%q Insecure:%v}",
		p.Name, p.File, p.URL, p.APIKey, redacted(p.SecretKey), p.Username, redacted(p.Password), p.Domain, p.Timeout, p.Insecure)
}

// GoString is as String, so %#v does not reveal the secrets either.
func (p CmkProfile) GoString() string { return p.String() }

// Profile returns the named profile ("" for the active one, see
// ActiveProfile). A profile the file does not have is an error naming the
// ones it has; so is a verifycert that is not true or false.
func (c *CmkConfig) Profile(name string) (*CmkProfile, error) {
	name = c.ActiveProfile(name)
	if _, ok := c.Profiles[name]; !ok {
		return nil, fmt.Errorf("no profile %q (profiles: %s)", name, strings.Join(c.ProfileNames(), ", "))
	}
	get := func(inCore bool, keys ...string) string {
		v, _ := c.Lookup(name, inCore, keys...)
		return strings.TrimSpace(v)
	}
	p := &CmkProfile{
		Name: name, URL: get(false, "url"), APIKey: get(false, "apikey"), SecretKey: get(false, "secretkey"),
		Username: get(false, "username"), Password: get(false, "password"), Domain: get(false, "domain"),
		Timeout: get(true, "timeout"),
	}
	if v := get(true, "verifycert", "verifysslcert"); v != "" {
		verify, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("profile %q: verifycert %q is not true or false", name, v)
		}
		p.Insecure = !verify
	}
	return p, nil
}

// LoadCmkProfile reads a profile of a cloudmonkey config file: path ""
// means ~/.cmk/config, name "" the file's active profile (its "profile"
// option, else "localcloud"). Errors match compute.ErrInvalidArgument,
// except a missing file, which matches os.ErrNotExist too.
func LoadCmkProfile(path, name string) (*CmkProfile, error) {
	if path == "" {
		var err error
		if path, err = DefaultCmkConfigPath(); err != nil {
			return nil, invalidConfig(err)
		}
	}
	c, err := ReadCmkConfig(path)
	if err != nil {
		return nil, invalidConfig(err)
	}
	p, err := c.Profile(name)
	if err != nil {
		return nil, invalidConfig(fmt.Errorf("config file %s: %w", path, err))
	}
	p.File = path
	return p, nil
}

// invalidConfig wraps a configuration source's error as the constructor's
// ErrInvalidArgument.
func invalidConfig(err error) error {
	return compute.NewError(types.ProviderCloudStack, "New", "", compute.ErrInvalidArgument, err)
}

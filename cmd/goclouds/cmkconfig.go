package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// cmkConfig is a cloudmonkey configuration file (~/.cmk/config), read as
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
type cmkConfig struct {
	// core holds the core options.
	core map[string]string
	// profiles maps each profile name to its keys.
	profiles map[string]map[string]string
	// order lists the profile names as they appear in the file.
	order []string
}

// parseCmkConfig parses an INI file in go-ini's dialect with cloudmonkey's
// load options: "=" or ":" separates a key from its value, lines starting
// with "#" or ";" are comments, inline comments are not stripped (a "#" may
// be part of a secret key), values may be quoted with " or ` or """, and
// keys are matched case-insensitively.
func parseCmkConfig(r io.Reader) (*cmkConfig, error) {
	c := &cmkConfig{core: map[string]string{}, profiles: map[string]map[string]string{}}
	section := c.core
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
				section = c.core
				continue
			}
			if _, ok := c.profiles[name]; !ok {
				c.profiles[name] = map[string]string{}
				c.order = append(c.order, name)
			}
			section = c.profiles[name]
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

// activeProfile returns the name of the profile to use: explicit when
// given, else the core "profile" option, else cloudmonkey's default
// "localcloud".
func (c *cmkConfig) activeProfile(explicit string) string {
	if explicit != "" {
		return explicit
	}
	if p := c.core["profile"]; p != "" {
		return p
	}
	return "localcloud"
}

// lookup returns a profile's value for the first of keys it holds, then,
// when inCore, the core options' (cloudmonkey 6 keeps timeout and
// verifycert there, cloudmonkey 5 in each profile).
func (c *cmkConfig) lookup(profile string, inCore bool, keys ...string) (string, bool) {
	for _, k := range keys {
		if v, ok := c.profiles[profile][k]; ok {
			return v, true
		}
	}
	if inCore {
		for _, k := range keys {
			if v, ok := c.core[k]; ok {
				return v, true
			}
		}
	}
	return "", false
}

// profileNames returns the profile names, sorted.
func (c *cmkConfig) profileNames() []string {
	return slices.Sorted(slices.Values(c.order))
}

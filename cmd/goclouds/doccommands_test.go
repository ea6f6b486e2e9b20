package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// TestDocCommands runs every shell command of the README's CLI tour and of
// docs/cli.md, in order, as a user following them would, against the
// dummy provider and a CloudStack simulator served in-process the way
// `goclouds sim &` serves it (its address put where the docs say
// 127.0.0.1:8080). Each must exit 0. So the docs cannot rot.
//
// The commands are the lines of the indented and ```sh blocks: `goclouds
// ...` (and `go run ./cmd/goclouds ...`) run in-process, with the options
// that make the CloudStack driver poll the simulator's jobs quickly;
// `export` sets the environment, except values that are placeholders of a
// real cloud (example.com, "..."); build steps (`go install`, `make`) are
// left to CI itself. `a && b` runs both; `| jq ...` checks the output is
// JSON. In docs/cli.md, ZONE_ID, TEMPLATE_ID, OFFERING_ID and VM_ID are
// placeholders filled from the simulator.
func TestDocCommands(t *testing.T) {
	for _, doc := range []struct {
		file    string
		section string // "" for the whole file
		// configured says the doc assumes a configured cloud (the
		// simulator) from its first command.
		configured bool
	}{
		{"README.md", "## CLI tour", false},
		{"docs/cli.md", "", true},
	} {
		t.Run(doc.file, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("..", "..", doc.file))
			require.NoError(t, err)
			lines := docCommands(sectionOf(string(text), doc.section))
			require.NotEmpty(t, lines)
			sh := newDocShell(t)
			if doc.configured {
				sh.startSim()
				sh.environ[envURL] = sh.simURL
				sh.environ[envAPIKey] = cloudstacksim.DefaultUserAPIKey
				sh.environ[envSecretKey] = cloudstacksim.DefaultUserSecretKey
			}
			for _, line := range lines {
				sh.run(line)
			}
		})
	}
}

// sectionOf returns the text from the heading to the next heading of the
// same level (all of text when heading is "").
func sectionOf(text, heading string) string {
	if heading == "" {
		return text
	}
	i := strings.Index(text, "\n"+heading+"\n")
	if i < 0 {
		return ""
	}
	rest := text[i+1+len(heading):]
	if j := strings.Index(rest, "\n"+heading[:strings.IndexByte(heading, ' ')+1]); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// docCommands returns the shell lines of text's indented blocks and ```sh
// blocks, in order.
func docCommands(text string) []string {
	var out []string
	inFence, shFence := false, false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "```") {
			if inFence {
				inFence, shFence = false, false
			} else {
				inFence, shFence = true, strings.TrimPrefix(line, "```") == "sh"
			}
			continue
		}
		switch {
		case shFence:
			out = append(out, line)
		case !inFence && strings.HasPrefix(line, "    ") && strings.TrimSpace(line) != "":
			out = append(out, strings.TrimSpace(line))
		}
	}
	var cmds []string
	for _, l := range out {
		if l = strings.TrimSpace(l); l != "" {
			cmds = append(cmds, l)
		}
	}
	return cmds
}

// docShell runs doc lines.
type docShell struct {
	t       *testing.T
	environ map[string]string
	simURL  string // the simulator's endpoint, once started
}

func newDocShell(t *testing.T) *docShell {
	home := t.TempDir()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	sshPub, err := ssh.NewPublicKey(pub)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".ssh"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".ssh", "id_ed25519.pub"), ssh.MarshalAuthorizedKey(sshPub), 0o644))
	return &docShell{t: t, environ: map[string]string{"HOME": home, "XDG_CACHE_HOME": t.TempDir()}}
}

// startSim serves a simulator as `goclouds sim` does (its default keys
// and path), with fast jobs.
func (sh *docShell) startSim() {
	if sh.simURL != "" {
		return
	}
	sim := cloudstacksim.New(&cloudstacksim.Options{JobDelay: 5 * time.Millisecond, SSHKeyBits: 1024})
	srv := httptest.NewServer(sim)
	sh.t.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	sh.simURL = srv.URL + sim.Path()
}

// run runs one doc line.
func (sh *docShell) run(line string) {
	t := sh.t
	t.Helper()
	for _, cmd := range splitOutside(stripComment(line), "&&") {
		stages := splitOutside(cmd, "|")
		words := shellWords(t, strings.TrimSpace(stages[0]), sh.environ["HOME"])
		out, ran := sh.exec(line, words)
		for _, stage := range stages[1:] {
			if ran && strings.HasPrefix(strings.TrimSpace(stage), "jq") {
				require.True(t, json.Valid([]byte(out)), "%s: the output piped to jq is not JSON:\n%s", line, out)
			}
		}
	}
}

// exec runs one command's words; ran says whether it ran goclouds.
func (sh *docShell) exec(line string, words []string) (string, bool) {
	t := sh.t
	t.Helper()
	switch {
	case len(words) == 0:
		return "", false
	case words[0] == "export":
		for _, kv := range words[1:] {
			k, v, ok := strings.Cut(kv, "=")
			require.True(t, ok, "%s: want export K=V", line)
			if v == "..." || strings.Contains(v, "example.com") {
				continue // a real cloud's placeholder
			}
			if sh.simURL != "" {
				u, err := url.Parse(sh.simURL)
				require.NoError(t, err)
				v = strings.ReplaceAll(v, "127.0.0.1:8080", u.Host)
			}
			sh.environ[k] = v
		}
		return "", false
	case words[0] == "go" && len(words) > 2 && words[1] == "run" && words[2] == "./cmd/goclouds":
		words = append([]string{"goclouds"}, words[3:]...)
	case words[0] == "go" || words[0] == "make":
		return "", false // build steps: CI runs them
	}
	require.Equal(t, "goclouds", words[0], "%s: only goclouds commands are run", line)
	args := words[1:]
	if len(args) > 0 && args[0] == "sim" && words[len(words)-1] == "&" {
		sh.startSim()
		return "", false
	}
	args = sh.fillPlaceholders(line, args)
	if sh.environ[envURL] != "" && !containsWord(args, "--provider") {
		args = append(append([]string{}, simArgs...), args...)
	}
	r := runEnv(t, sh.environ, args...)
	require.Equal(t, exitOK, r.code, "%s\nstdout: %s\nstderr: %s", line, r.stdout, r.stderr)
	return r.stdout, true
}

// placeholder matches the ids docs/cli.md leaves to the reader.
var placeholder = regexp.MustCompile(`\b(ZONE|TEMPLATE|OFFERING|VM)_ID\b`)

// fillPlaceholders replaces the placeholders with the simulator's ids.
func (sh *docShell) fillPlaceholders(line string, args []string) []string {
	t := sh.t
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = placeholder.ReplaceAllStringFunc(a, func(p string) string {
			list, name := map[string][]string{
				"ZONE_ID":     {"locations", "list"},
				"TEMPLATE_ID": {"images", "list"},
				"OFFERING_ID": {"sizes", "list"},
				"VM_ID":       {"nodes", "list"},
			}[p], map[string]string{
				"ZONE_ID": cloudstacksim.ZoneName1, "TEMPLATE_ID": cloudstacksim.TemplateTinyLinux,
				"OFFERING_ID": cloudstacksim.OfferingTiny,
			}[p]
			r := runEnv(t, sh.environ, append(list, "-o", "json")...)
			require.Equal(t, exitOK, r.code, "%s: %s", line, r.stderr)
			var items []struct{ ID, Name string }
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &items))
			for _, it := range items {
				if name == "" || it.Name == name {
					return it.ID
				}
			}
			t.Fatalf("%s: nothing for %s", line, p)
			return ""
		})
	}
	return out
}

func containsWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// stripComment removes a shell comment (" #" outside quotes).
func stripComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' '):
			return strings.TrimSpace(line[:i])
		}
	}
	return line
}

// splitOutside splits s at sep outside quotes.
func splitOutside(s, sep string) []string {
	var parts []string
	var quote byte
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case strings.HasPrefix(s[i:], sep):
			if sep == "|" && strings.HasPrefix(s[i:], "||") {
				continue
			}
			parts = append(parts, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(parts, s[start:])
}

// shellWords splits a command as sh would: quotes, and ~/ at a word's
// start (or after '=') expanded to home.
func shellWords(t *testing.T, s, home string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '~' && strings.HasPrefix(s[i:], "~/") && (!inWord || strings.HasSuffix(cur.String(), "=")):
			cur.WriteString(home)
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	require.Zero(t, quote, "unclosed quote in %q", s)
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

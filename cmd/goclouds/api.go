package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// rawRequester is the CloudStack driver's escape hatch,
// (*cloudstack.Driver).ExRawRequest: any API command, signed, its async job
// awaited.
type rawRequester interface {
	ExRawRequest(ctx context.Context, command string, params url.Values) (json.RawMessage, error)
}

func newAPICmd(env *cliEnv) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "api COMMAND [key=value...]",
		Short: "Call any CloudStack API command, like cloudmonkey",
		Long: `Call any CloudStack API command with key=value parameters. The request is
signed; an asynchronous command's job is awaited and its result printed.
The output is the response as JSON (or YAML with -o yaml; -o table and
-o csv tabulate the response's list).

The command may also be written in lower case or, as in cloudmonkey, as a
verb and a noun ("list virtualmachines"); it is matched against the
CloudStack 4.18 API list. A command the list lacks is refused before
anything is sent, with the closest names ("did you mean"); --force sends it
as given (for commands of newer servers or plugins). Parameter names are
sent as given: map parameters use CloudStack's name[0].key=value syntax. A
value may contain '='. Shell completion knows every command and its
parameters.

As in cloudmonkey, filter=name,id is not sent: it keeps only those fields
of the listed objects (and the columns of -o table and -o csv). A list
command that finds nothing prints [] with -o json, and "no results" on a
terminal.

The output is the server's answer as is: a command that returns a secret
(createSSHKeyPair's private key, a deployed VM's generated password) prints
it, as cloudmonkey does. --debug logs stay redacted.`,
		Example: `  goclouds api listZones
  goclouds api listVirtualMachines state=Running
  goclouds api list virtualmachines state=Running
  goclouds api deployVirtualMachine zoneid=1 templateid=2 serviceofferingid=3 name=web1
  goclouds api createTags resourcetype=UserVm resourceids=5 'tags[0].key=env' 'tags[0].value=prod'
  goclouds api listTemplates templatefilter=featured -o table
  goclouds api listZones filter=name,id -o table`,
		Args:              minArgs(1),
		ValidArgsFunction: completeAPI,
		RunE: func(cmd *cobra.Command, args []string) error {
			command, rest, err := resolveAPICommand(args, force)
			if err != nil {
				return err
			}
			params, err := parseAPIParams(rest)
			if err != nil {
				return err
			}
			filter := apiFilter(params)
			ctx, d, err := env.connect(cmd)
			if err != nil {
				return err
			}
			rr, ok := compute.As[rawRequester](d)
			if !ok {
				return usageErrorf("api needs a CloudStack provider (--provider cloudstack or a preset), not %s", d.Provider())
			}
			raw, err := withProgress(env, command, func() (json.RawMessage, error) {
				return rr.ExRawRequest(ctx, command, params)
			})
			if err != nil {
				return err
			}
			return env.printAPIResponse(command, raw, filter)
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "send a command the CloudStack 4.18 API list does not have")
	return cmd
}

// resolveAPICommand returns the command args name (see apiCommandName) and
// the arguments after it. A name the API list lacks is a usage error that
// suggests the closest names, unless force.
func resolveAPICommand(args []string, force bool) (string, []string, error) {
	command, rest := apiCommandName(args)
	if strings.ContainsAny(command, "=&? ") {
		return "", nil, usageErrorf("api: %q is not a CloudStack command name; the form is api COMMAND key=value...", command)
	}
	spec := apiSpec()
	if _, known := spec[strings.ToLower(command)]; known || force || spec == nil {
		return command, rest, nil
	}
	names := make([]string, 0, len(spec))
	for _, c := range spec {
		names = append(names, c.Name)
	}
	if len(rest) > 0 && !strings.Contains(rest[0], "=") {
		// cloudmonkey's "list zone": two words that name no command.
		two := args[0] + " " + rest[0]
		return "", nil, usageErrorf("api: %q is not a command: the form is api COMMAND key=value... (as in api listZones name=zone1)%s",
			two, didYouMean(closest(args[0]+rest[0], names, 3)))
	}
	return "", nil, usageErrorf("api: unknown API command %q%s (use --force to send it anyway)",
		command, didYouMean(closest(command, names, 3)))
}

// apiFilter removes cloudmonkey's filter=a,b from params and returns its
// field names in lower case (nil when not given).
func apiFilter(params url.Values) []string {
	v, ok := params["filter"]
	if !ok {
		return nil
	}
	params.Del("filter")
	var out []string
	for f := range strings.SplitSeq(strings.Join(v, ","), ",") {
		if f = strings.ToLower(strings.TrimSpace(f)); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// parseAPIParams turns key=value arguments into request parameters.
func parseAPIParams(args []string) (url.Values, error) {
	params := url.Values{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return nil, usageErrorf("api: argument %q is not key=value", a)
		}
		if params.Has(k) {
			return nil, usageErrorf("api: parameter %q given twice", k)
		}
		params.Set(k, v)
	}
	return params, nil
}

// printAPIResponse prints a raw API response: JSON, key order kept, unless
// -o asks for YAML, a table or CSV. filter keeps only those fields of the
// listed objects. A list command that found nothing prints [] as JSON, and
// "no results" as a table on a terminal.
func (env *cliEnv) printAPIResponse(command string, raw json.RawMessage, filter []string) error {
	format := outputJSON
	if env.root.PersistentFlags().Changed("output") {
		format = env.flags.output
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	root, err := decodeJSONNode(dec)
	if err != nil {
		return fmt.Errorf("api: response is not JSON: %w", err)
	}
	if filter != nil {
		filterFields(root, filter)
	}
	empty := strings.HasPrefix(strings.ToLower(command), "list") && listIsEmpty(root)
	switch {
	case empty && format == outputJSON:
		raw = json.RawMessage("[]")
	case empty && format == outputTable && env.isTerminal(env.stdout):
		_, err := io.WriteString(env.stdout, "no results\n")
		return err
	case filter != nil:
		raw = root.appendJSON(nil)
	}
	switch format {
	case outputYAML:
		return writeYAML(env.stdout, raw)
	case outputTable, outputCSV:
		rows, cols, err := tabulate(raw)
		if err != nil {
			return err
		}
		return render(env.stdout, format, nil, rows, cols)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return fmt.Errorf("api: response is not JSON: %w", err)
	}
	buf.WriteByte('\n')
	_, err = env.stdout.Write(buf.Bytes())
	return err
}

// listIsEmpty reports whether a list command's answer holds no object: no
// member is a non-empty array (CloudStack answers {} or {"count":0}).
func listIsEmpty(root *jsonNode) bool {
	if root.kind != 'o' {
		return false
	}
	for _, v := range root.vals {
		if v.kind == 'a' && len(v.vals) > 0 {
			return false
		}
	}
	return true
}

// filterFields keeps only the named fields (lower case) of the objects in
// the answer's lists, or of the answer's single object.
func filterFields(root *jsonNode, fields []string) {
	keep := func(o *jsonNode) {
		if o.kind != 'o' {
			return
		}
		var keys []string
		var vals []*jsonNode
		for i, k := range o.keys {
			if slices.Contains(fields, strings.ToLower(k)) {
				keys, vals = append(keys, k), append(vals, o.vals[i])
			}
		}
		o.keys, o.vals = keys, vals
	}
	if root.kind != 'o' {
		return
	}
	listed := false
	for _, v := range root.vals {
		if v.kind == 'a' {
			for _, o := range v.vals {
				keep(o)
				listed = true
			}
		}
	}
	if !listed {
		for _, v := range root.vals {
			keep(v)
		}
	}
}

// apiRow is one object of an API response, its scalar fields as text.
type apiRow map[string]string

// tabulate turns a response into rows: the objects of its list (the one
// array of objects, such as "virtualmachine" in listVirtualMachines), or the
// response's single object (such as "virtualmachine" in a deploy, or the
// response itself). Columns are the scalar fields, in first-seen order.
func tabulate(raw json.RawMessage) ([]apiRow, []column[apiRow], error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, nil, fmt.Errorf("api: response is not a JSON object: %w", err)
	}
	var objects []json.RawMessage
	for _, v := range top {
		var list []json.RawMessage
		if json.Unmarshal(v, &list) == nil && len(list) > 0 && bytes.HasPrefix(bytes.TrimSpace(list[0]), []byte("{")) {
			objects = list
			break
		}
	}
	if objects == nil && len(top) == 1 {
		for _, v := range top {
			if bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) {
				objects = []json.RawMessage{v}
			}
		}
	}
	if objects == nil && len(top) > 0 {
		objects = []json.RawMessage{raw}
	}
	var (
		rows  []apiRow
		names []string
		seen  = map[string]bool{}
	)
	for _, o := range objects {
		keys, vals, err := orderedScalars(o)
		if err != nil {
			return nil, nil, err
		}
		row := apiRow{}
		for i, k := range keys {
			row[k] = vals[i]
			if !seen[k] {
				seen[k] = true
				names = append(names, k)
			}
		}
		rows = append(rows, row)
	}
	cols := make([]column[apiRow], len(names))
	for i, n := range names {
		cols[i] = col(strings.ToUpper(n), func(r apiRow) string { return r[n] })
	}
	return rows, cols, nil
}

// orderedScalars returns an object's scalar fields (strings, numbers,
// booleans) in document order, as text.
func orderedScalars(obj json.RawMessage) (keys, vals []string, err error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.UseNumber()
	n, err := decodeJSONNode(dec)
	if err != nil {
		return nil, nil, fmt.Errorf("api: %w", err)
	}
	if n.kind != 'o' {
		return nil, nil, nil
	}
	for i, k := range n.keys {
		v := n.vals[i]
		if v.kind == 's' || (v.kind == 'l' && v.text != "null") {
			keys = append(keys, k)
			vals = append(vals, v.text)
		}
	}
	return keys, vals, nil
}

// apiSpec is the CloudStack API list (4.18), indexed by lower-case name.
var apiSpec = sync.OnceValue(func() map[string]*cloudstacksim.APICommand {
	spec, err := cloudstacksim.LoadSpec()
	if err != nil {
		return nil
	}
	byLower := make(map[string]*cloudstacksim.APICommand, len(spec.Commands))
	for _, c := range spec.Commands {
		byLower[strings.ToLower(c.Name)] = c
	}
	return byLower
})

// apiCommandName returns the command that args name, spelled as in the API
// list, and the arguments after it: "listZones", "listzones", or
// cloudmonkey's "list zones". A name the list lacks is returned as given.
func apiCommandName(args []string) (string, []string) {
	spec := apiSpec()
	if c, ok := spec[strings.ToLower(args[0])]; ok {
		return c.Name, args[1:]
	}
	if len(args) > 1 && !strings.Contains(args[1], "=") {
		if c, ok := spec[strings.ToLower(args[0]+args[1])]; ok {
			return c.Name, args[2:]
		}
	}
	return args[0], args[1:]
}

// completeAPI completes API command names, then their parameters.
func completeAPI(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	spec := apiSpec()
	if len(args) == 0 {
		var out []string
		for _, c := range spec {
			if strings.HasPrefix(strings.ToLower(c.Name), strings.ToLower(toComplete)) {
				out = append(out, c.Name+"\t"+firstSentence(c.Description))
			}
		}
		slices.Sort(out)
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	command, given := apiCommandName(args)
	c, ok := spec[strings.ToLower(command)]
	if !ok {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	used := map[string]bool{}
	for _, a := range given {
		k, _, _ := strings.Cut(a, "=")
		used[strings.ToLower(k)] = true
	}
	var out []string
	for _, p := range c.Params {
		if !used[p.Name] && strings.HasPrefix(p.Name, strings.ToLower(toComplete)) {
			desc := firstSentence(p.Description)
			if p.Required {
				desc = "(required) " + desc
			}
			out = append(out, p.Name+"=\t"+desc)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// firstSentence shortens a description for completion menus.
func firstSentence(s string) string {
	if i := strings.IndexAny(s, ".\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

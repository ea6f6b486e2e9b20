package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
	return &cobra.Command{
		Use:   "api COMMAND [key=value...]",
		Short: "Call any CloudStack API command, like cloudmonkey",
		Long: `Call any CloudStack API command with key=value parameters. The request is
signed; an asynchronous command's job is awaited and its result printed.
The output is the response as JSON (or YAML with -o yaml; -o table and
-o csv tabulate the response's list).

The command may also be written in lower case or, as in cloudmonkey, as a
verb and a noun ("list virtualmachines"); it is matched against the
CloudStack 4.18 API list, and sent as given when it is not in it. Parameter
names are sent as given: map parameters use CloudStack's name[0].key=value
syntax. A value may contain '='. Shell completion knows every command and
its parameters.

The output is the server's answer as is: a command that returns a secret
(createSSHKeyPair's private key, a deployed VM's generated password) prints
it, as cloudmonkey does. --debug logs stay redacted.`,
		Example: `  goclouds api listZones
  goclouds api listVirtualMachines state=Running
  goclouds api list virtualmachines state=Running
  goclouds api deployVirtualMachine zoneid=1 templateid=2 serviceofferingid=3 name=web1
  goclouds api createTags resourcetype=UserVm resourceids=5 'tags[0].key=env' 'tags[0].value=prod'
  goclouds api listTemplates templatefilter=featured -o table`,
		Args:              minArgs(1),
		ValidArgsFunction: completeAPI,
		RunE: func(cmd *cobra.Command, args []string) error {
			command, rest := apiCommandName(args)
			params, err := parseAPIParams(rest)
			if err != nil {
				return err
			}
			if strings.ContainsAny(command, "=&? ") {
				return usageErrorf("api: %q is not a CloudStack command name", command)
			}
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
			return env.printAPIResponse(raw)
		},
	}
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
// -o asks for YAML, a table or CSV.
func (env *cliEnv) printAPIResponse(raw json.RawMessage) error {
	format := outputJSON
	if env.root.PersistentFlags().Changed("output") {
		format = env.flags.output
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
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = json.RawMessage("{}")
	}
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return fmt.Errorf("api: response is not JSON: %w", err)
	}
	buf.WriteByte('\n')
	_, err := env.stdout.Write(buf.Bytes())
	return err
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

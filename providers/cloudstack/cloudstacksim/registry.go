package cloudstacksim

import (
	"fmt"
	"sort"
	"strings"
)

// handlerFunc implements one command. It runs with Server.mu held (shared for
// ReadOnly commands, exclusive otherwise), after the framework has
// authenticated the caller and validated every parameter against the spec.
// It returns the reply (for async commands an *asyncReply) or an error,
// normally an *apiError built with the helpers of errors.go.
type handlerFunc func(c *call) (reply, error)

// cmdDef registers one command with the simulator. Its parameters, whether it
// is async, and its validation come from the embedded spec; the definition
// adds what the spec lacks.
type cmdDef struct {
	// Name is the exact command name, e.g. "deployVirtualMachine".
	Name string
	// Handler implements the command.
	Handler handlerFunc
	// ReadOnly commands (lists, gets) run under the shared lock.
	ReadOnly bool
	// IDKind is the entity kind named by the "id" and "ids" parameters.
	IDKind string
	// Kinds overrides the default kind of other uuid parameters (defaultKinds).
	Kinds map[string]string
	// Create marks BaseAsyncCreateCmd commands, whose submit answer is {id, jobid}.
	Create bool
	// ResponseName overrides "<lower-case name>response".
	ResponseName string
	// InstanceType is the jobinstancetype of the command's jobs, e.g. "VirtualMachine".
	InstanceType string
	// JobClass is the Java class queryAsyncJobResult reports as "cmd"; a
	// plausible one is derived from the name when empty.
	JobClass string
	// ParamOrder lists parameters to check before the others, in the order
	// the Java command class declares them (the spec's order is arbitrary);
	// it decides which error a request with several bad parameters gets.
	ParamOrder []string
	// ItemKey documents the object name of the command's result (list item or
	// object key), e.g. "virtualmachine"; it is used by the generated docs.
	ItemKey string
}

// registry holds every implemented command by exact name; family files add
// to it from init with register.
var registry = map[string]*cmdDef{}

// register adds command definitions. It panics on a duplicate, which is a
// programming error caught by any test.
func register(defs ...cmdDef) {
	for i := range defs {
		d := defs[i]
		if _, dup := registry[d.Name]; dup {
			panic("cloudstacksim: command registered twice: " + d.Name)
		}
		if d.Handler == nil {
			panic("cloudstacksim: command without handler: " + d.Name)
		}
		registry[d.Name] = &d
	}
}

// orderedParams returns the spec's parameters with ParamOrder first.
func (d *cmdDef) orderedParams(spec *APICommand) []*APIParam {
	out := make([]*APIParam, 0, len(spec.Params))
	for _, name := range d.ParamOrder {
		if p := spec.Param(name); p != nil {
			out = append(out, p)
		}
	}
	for i := range spec.Params {
		if !contains(d.ParamOrder, spec.Params[i].Name) {
			out = append(out, &spec.Params[i])
		}
	}
	return out
}

// responseName returns the envelope key of the command's answers.
func (d *cmdDef) responseName() string {
	if d.ResponseName != "" {
		return d.ResponseName
	}
	return strings.ToLower(d.Name) + "response"
}

// apiName is how error texts name the command: the response name without
// its "response" suffix (BaseCmd.getCommandName minus 8 characters).
func (d *cmdDef) apiName() string { return strings.TrimSuffix(d.responseName(), "response") }

// jobClass returns the "cmd" of the command's jobs.
func (d *cmdDef) jobClass() string {
	if d.JobClass != "" {
		return d.JobClass
	}
	pkg := strings.ToLower(d.InstanceType)
	if pkg == "" {
		pkg = "command"
	}
	return "org.apache.cloudstack.api.command.user." + pkg + "." + strings.ToUpper(d.Name[:1]) + d.Name[1:] + "Cmd"
}

// ImplementedCommands returns the names of the commands the simulator
// implements, sorted.
func ImplementedCommands() []string {
	names := make([]string, 0, len(registry))
	for name := range registry {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// checkRegistry verifies every registered command against the spec.
func checkRegistry(spec *Spec) error {
	for name, d := range registry {
		if spec.Command(name) == nil {
			return fmt.Errorf("cloudstacksim: command %s is not in the API spec", name)
		}
		if d.Create && !spec.Command(name).IsAsync {
			return fmt.Errorf("cloudstacksim: create command %s is not async in the spec", name)
		}
	}
	return nil
}

// CommandInfo describes an implemented command, for documentation and tools.
type CommandInfo struct {
	// Name is the command name.
	Name string
	// ResponseName is the envelope key of its answers.
	ResponseName string
	// ItemKey is the object name of its result (list item or object key);
	// "(success)" for success-only answers, "(flat)" for flattened ones.
	ItemKey string
	// Async reports whether it runs as an async job.
	Async bool
	// Create reports whether its submit answer is {id, jobid}.
	Create bool
}

// Commands describes every implemented command, sorted by name.
func Commands() []CommandInfo {
	spec, err := LoadSpec()
	var out []CommandInfo
	for _, name := range ImplementedCommands() {
		d := registry[name]
		ci := CommandInfo{Name: name, ResponseName: d.responseName(), ItemKey: d.ItemKey, Create: d.Create}
		if err == nil && spec.Command(name) != nil {
			ci.Async = spec.Command(name).IsAsync
		}
		out = append(out, ci)
	}
	return out
}

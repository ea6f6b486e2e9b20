package cloudstack_test

// The spec parameter test: every typed method of *cloudstack.Driver runs
// against the simulator behind a recording handler, and every request it
// sends is checked against the CloudStack 4.18 spec (listApis.json, as the
// simulator embeds it): the command exists, every parameter sent is one of
// the command's (names compared in lower case; map parameters
// name[i].field by their name, which must be a map), and every required
// parameter is sent. It also checks that each command a method sends is one
// the coverage scan (docs/cloudstack-coverage.md) attributes to it.
//
// Methods run two ways:
//
//   - specCases, the table below: realistic calls on a seeded simulator
//     (fixtures made through a second, unrecorded driver). A case must
//     succeed, unless it sends a command the simulator does not implement.
//     Every exported method of *Driver that takes a context must have at
//     least one case: TestSpecParamsTableComplete fails otherwise. Add a case
//     next to the family's others, or from your own _test.go file with
//     `var _ = addSpecCases(specCase{...})`.
//   - automatically, every such method once with every argument and every
//     option field set (strings to a uuid, numbers to 1, booleans and
//     pointers to true, slices and maps to one element; interfaces,
//     funcs and url.Values left empty), under zero and under full driver
//     settings. Errors are expected (the ids name nothing) and ignored; the
//     requests sent before them are checked, so an option whose parameter
//     name is wrong fails even if no case sets it. A panic fails.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/providers/cloudstack/internal/coveragegen/coverage"
	"golang.org/x/crypto/ssh"
)

// specCase is one realistic call of a *Driver method.
type specCase struct {
	// method is the exported *Driver method the case exercises.
	method string
	// run makes the call with c.d, the recorded driver, and returns its
	// error. Fixtures come from c's helpers (c.node, c.network, ...) or
	// c.setup, an unrecorded driver on the same simulator.
	run func(c *specCall) error
}

// specCall is what a case runs with.
type specCall struct {
	*specFixture
	t   *testing.T
	ctx context.Context
	// d is the driver whose requests are recorded and checked.
	d *cloudstack.Driver
}

// extraSpecCases holds the cases added from other files with addSpecCases.
var extraSpecCases []specCase

// addSpecCases adds cases to the table from another test file:
//
//	var _ = addSpecCases(specCase{"ExFoo", func(c *specCall) error { ... }})
func addSpecCases(cases ...specCase) bool {
	extraSpecCases = append(extraSpecCases, cases...)
	return true
}

// allSpecCases returns the table and the cases added by other files.
func allSpecCases() []specCase { return append(slices.Clone(specCases), extraSpecCases...) }

// ignoredSpecParams are set by the transport on every request.
var ignoredSpecParams = map[string]bool{
	"apikey": true, "signature": true, "signatureversion": true, "expires": true, "response": true, "command": true,
}

// specRequest is one recorded request.
type specRequest struct {
	command string
	params  url.Values
}

// specRecorder records the requests it passes to the simulator.
type specRecorder struct {
	next http.Handler
	mu   sync.Mutex
	reqs []specRequest
}

func (r *specRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	params := req.URL.Query()
	if req.Method == http.MethodPost && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	command := ""
	for k, vs := range params {
		if strings.EqualFold(k, "command") && len(vs) > 0 {
			command = vs[0]
		}
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, specRequest{command: command, params: params})
	r.mu.Unlock()
	r.next.ServeHTTP(w, req)
}

// take returns and forgets the recorded requests.
func (r *specRecorder) take() []specRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	reqs := r.reqs
	r.reqs = nil
	return reqs
}

// specEnv is a simulator with a recorded and an unrecorded endpoint.
type specEnv struct {
	sim      *cloudstacksim.Server
	rec      *specRecorder
	recorded string // endpoint URL through the recorder
	plain    string // endpoint URL straight to the simulator
}

func newSpecEnv(t *testing.T) *specEnv {
	t.Helper()
	sim := cloudstacksim.New(&cloudstacksim.Options{SSHKeyBits: 1024})
	rec := &specRecorder{next: sim}
	recSrv := httptest.NewServer(rec)
	plainSrv := httptest.NewServer(sim)
	t.Cleanup(func() {
		recSrv.Close()
		plainSrv.Close()
		sim.Close()
	})
	return &specEnv{sim: sim, rec: rec, recorded: recSrv.URL + sim.Path(), plain: plainSrv.URL + sim.Path()}
}

// driver returns a driver for the endpoint with fast job polling.
func (e *specEnv) driver(t *testing.T, endpoint string, s cloudstack.Settings) *cloudstack.Driver {
	t.Helper()
	creds := e.sim.AdminCredentials()
	s.JobPollInterval, s.JobPollMaxInterval = time.Millisecond, 5*time.Millisecond
	s.RetryWaitMin, s.RetryWaitMax = time.Millisecond, 5*time.Millisecond
	d, err := cloudstack.New(&cloudstack.Options{URL: endpoint, Key: creds.APIKey, Secret: creds.SecretKey, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// specChecker checks requests against the spec and gathers, per method,
// the commands sent.
type specChecker struct {
	spec *cloudstacksim.Spec
	mu   sync.Mutex
	sent map[string]map[string]bool // method -> commands
}

func newSpecChecker(t *testing.T) *specChecker {
	t.Helper()
	spec, err := cloudstacksim.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	return &specChecker{spec: spec, sent: map[string]map[string]bool{}}
}

// check reports every spec violation of the requests method sent.
func (sc *specChecker) check(t *testing.T, method string, reqs []specRequest) {
	t.Helper()
	sc.mu.Lock()
	if sc.sent[method] == nil {
		sc.sent[method] = map[string]bool{}
	}
	for _, r := range reqs {
		sc.sent[method][r.command] = true
	}
	sc.mu.Unlock()
	for _, r := range reqs {
		for _, problem := range specProblems(sc.spec, r) {
			t.Errorf("%s: %s: %s", method, r.command, problem)
		}
	}
}

// specProblems lists how a request departs from the spec.
func specProblems(spec *cloudstacksim.Spec, r specRequest) []string {
	cmd := spec.Command(r.command)
	if cmd == nil {
		return []string{"not a command of the spec (names are case-sensitive)"}
	}
	var problems []string
	sent := map[string]bool{}
	for key := range r.params {
		name := strings.ToLower(key)
		if ignoredSpecParams[name] {
			continue
		}
		base, isMap := name, false
		if i := strings.IndexByte(name, '['); i >= 0 {
			base, isMap = name[:i], true
		}
		sent[base] = true
		p := cmd.Param(base)
		switch {
		case p == nil:
			problems = append(problems, fmt.Sprintf("parameter %q is not in the spec", key))
		case isMap && p.Type != "map":
			problems = append(problems, fmt.Sprintf("parameter %q is sent as a map, the spec's %s is a %s", key, p.Name, p.Type))
		case !isMap && p.Type == "map":
			problems = append(problems, fmt.Sprintf("parameter %q is a map in the spec: send %s[0].key=...", key, p.Name))
		}
	}
	for _, p := range cmd.Params {
		if p.Required && !sent[p.Name] {
			problems = append(problems, fmt.Sprintf("required parameter %q is not sent", p.Name))
		}
	}
	slices.Sort(problems)
	return problems
}

// specMethods returns the exported methods of *Driver whose first argument
// is a context: the ones that talk to the server.
func specMethods() []reflect.Method {
	ctxType := reflect.TypeFor[context.Context]()
	dt := reflect.TypeFor[*cloudstack.Driver]()
	var out []reflect.Method
	for i := range dt.NumMethod() {
		m := dt.Method(i)
		if m.Type.NumIn() >= 2 && m.Type.In(1) == ctxType {
			out = append(out, m)
		}
	}
	return out
}

// TestSpecParamsTableComplete fails when a method that talks to the server
// has no case in the table, or a case names no method.
func TestSpecParamsTableComplete(t *testing.T) {
	have := map[string]bool{}
	for _, c := range allSpecCases() {
		have[c.method] = true
		if _, ok := reflect.TypeFor[*cloudstack.Driver]().MethodByName(c.method); !ok {
			t.Errorf("spec case for %s: *cloudstack.Driver has no such method", c.method)
		}
	}
	for _, m := range specMethods() {
		if !have[m.Name] {
			t.Errorf("*cloudstack.Driver.%s has no case in specCases (spec_params_test.go): add one", m.Name)
		}
	}
}

// TestSpecParams runs the table and the automatic calls, checks every
// request against the spec, and checks the commands each method sent
// against the coverage scan.
func TestSpecParams(t *testing.T) {
	sc := newSpecChecker(t)
	t.Run("cases", func(t *testing.T) { runSpecCases(t, sc) })
	for _, v := range []struct {
		name     string
		settings cloudstack.Settings
	}{
		{"auto", cloudstack.Settings{}},
		{"auto-settings", cloudstack.Settings{ListAll: true, ProjectID: specUUID, ZoneID: specUUID, Expunge: true, GETOnly: true}},
	} {
		t.Run(v.name, func(t *testing.T) { runSpecAuto(t, sc, v.settings) })
	}
	t.Run("scan", func(t *testing.T) { checkSpecScan(t, sc) })
}

// runSpecCases runs the table, each case in order.
func runSpecCases(t *testing.T, sc *specChecker) {
	env := newSpecEnv(t)
	fx := &specFixture{env: env, setup: env.driver(t, env.plain, cloudstack.Settings{}), cache: map[string]any{}}
	d := env.driver(t, env.recorded, cloudstack.Settings{})
	simulated := map[string]bool{}
	for _, c := range cloudstacksim.ImplementedCommands() {
		simulated[c] = true
	}
	for i, tc := range allSpecCases() {
		t.Run(fmt.Sprintf("%s#%d", tc.method, i), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			fx.t = t
			env.rec.take()
			err := runSpecCase(t, tc, &specCall{specFixture: fx, t: t, ctx: ctx, d: d})
			reqs := env.rec.take()
			if len(reqs) == 0 {
				t.Fatalf("%s sent no request (err: %v)", tc.method, err)
			}
			sc.check(t, tc.method, reqs)
			if err != nil {
				unsimulated := slices.ContainsFunc(reqs, func(r specRequest) bool { return !simulated[r.command] })
				if !unsimulated {
					t.Errorf("%s failed, and the simulator implements every command it sent: make the case succeed "+
						"(create what it needs with c's fixtures or c.setup): %v", tc.method, err)
				}
			}
		})
	}
}

// runSpecCase runs one case; a fixture error or a panic fails it.
func runSpecCase(t *testing.T, tc specCase, c *specCall) (err error) {
	t.Helper()
	defer func() {
		switch p := recover().(type) {
		case nil:
		case specFixtureError:
			t.Fatalf("%s: making a fixture: %v", tc.method, p.err)
		default:
			t.Fatalf("%s panicked: %v", tc.method, p)
		}
	}()
	return tc.run(c)
}

// specUUID is the value of every string the automatic calls send.
const specUUID = "5fa1c0de-0000-4000-8000-00000000c0de"

// runSpecAuto calls every method once with every argument and option set.
func runSpecAuto(t *testing.T, sc *specChecker, settings cloudstack.Settings) {
	env := newSpecEnv(t)
	d := env.driver(t, env.recorded, settings)
	dv := reflect.ValueOf(d)
	for _, m := range specMethods() {
		if m.Name == "ExRawRequest" {
			continue // it sends the caller's command and parameters: the cases check it
		}
		t.Run(m.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			env.rec.take()
			args := []reflect.Value{reflect.ValueOf(ctx)}
			for i := 2; i < m.Type.NumIn(); i++ {
				args = append(args, specFill(m.Type.In(i), 0))
			}
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s panicked with every argument set: %v", m.Name, p)
					}
				}()
				specDrain(dv.MethodByName(m.Name).Call(args))
			}()
			reqs := env.rec.take()
			t.Logf("%d requests: %v", len(reqs), specCommands(reqs))
			sc.check(t, m.Name, reqs)
		})
	}
}

// specCommands returns the commands of reqs, in order.
func specCommands(reqs []specRequest) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.command
	}
	return out
}

// specFill returns a value of type typ with everything set (see the file
// comment); depth bounds recursive types.
func specFill(typ reflect.Type, depth int) reflect.Value {
	v := reflect.New(typ).Elem()
	if depth > 4 || typ == reflect.TypeFor[url.Values]() {
		return v
	}
	switch typ.Kind() {
	case reflect.String:
		v.SetString(specUUID)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Pointer:
		v.Set(specFill(typ.Elem(), depth+1).Addr())
	case reflect.Slice:
		v.Set(reflect.Append(v, specFill(typ.Elem(), depth+1)))
	case reflect.Map:
		if typ.Elem().Kind() != reflect.Interface {
			v.Set(reflect.MakeMap(typ))
			v.SetMapIndex(specFill(typ.Key(), depth+1), specFill(typ.Elem(), depth+1))
		}
	case reflect.Struct:
		if typ == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)))
			break
		}
		for i := range typ.NumField() {
			if f := typ.Field(i); f.IsExported() {
				v.Field(i).Set(specFill(f.Type, depth+1))
			}
		}
	}
	return v
}

// specDrain runs the iterators among a method's results to the end.
func specDrain(results []reflect.Value) {
	for _, r := range results {
		if r.Kind() != reflect.Func || r.IsNil() || r.Type().NumIn() != 1 {
			continue
		}
		yield := r.Type().In(0)
		if yield.Kind() != reflect.Func || yield.NumOut() != 1 || yield.Out(0).Kind() != reflect.Bool {
			continue
		}
		r.Call([]reflect.Value{reflect.MakeFunc(yield, func([]reflect.Value) []reflect.Value {
			return []reflect.Value{reflect.ValueOf(true)}
		})})
	}
}

// checkSpecScan checks that every command a method sent is one the
// coverage scan attributes to it (the transport's job polling and
// ExRawRequest's caller-chosen commands aside).
func checkSpecScan(t *testing.T, sc *specChecker) {
	isCommand := func(s string) bool { return sc.spec.Command(s) != nil }
	scanned, err := coverage.ScanDriver(".", "Driver", isCommand)
	if err != nil {
		t.Fatal(err)
	}
	transport, err := coverage.ScanCommands("internal/csapi", isCommand)
	if err != nil {
		t.Fatal(err)
	}
	for method, cmds := range sc.sent {
		if method == "ExRawRequest" {
			continue
		}
		for cmd := range cmds {
			if !slices.Contains(scanned[method], cmd) && !slices.Contains(transport, cmd) {
				t.Errorf("%s sent %s, which the coverage scan does not attribute to it: pass the command name as a string literal (see internal/coveragegen)", method, cmd)
			}
		}
	}
}

// specFixture makes and caches the resources cases act on, through an
// unrecorded driver.
type specFixture struct {
	env   *specEnv
	setup *cloudstack.Driver
	t     *testing.T
	cache map[string]any
	seq   int
}

// specCached returns the value mk returns, made once per key.
func specCached[T any](f *specFixture, key string, mk func() (T, error)) T {
	if v, ok := f.cache[key]; ok {
		return v.(T)
	}
	v := specMust(mk())
	f.cache[key] = v
	return v
}

// specFixtureError is the panic of specMust and specDo, turned into a
// test failure by the case runner.
type specFixtureError struct{ err error }

// specMust returns v, or fails the running case when making a fixture
// failed.
func specMust[T any](v T, err error) T {
	specDo(err)
	return v
}

// specDo fails the running case when making a fixture failed.
func specDo(err error) {
	if err != nil {
		panic(specFixtureError{err})
	}
}

// name returns a fresh resource name.
func (f *specFixture) name(prefix string) string {
	f.seq++
	return fmt.Sprintf("spec-%s-%d", prefix, f.seq)
}

// zone returns the seeded zone named name (cloudstacksim.ZoneName1, 2).
func (f *specFixture) zone(name string) *compute.Location {
	return specCached(f, "zone:"+name, func() (*compute.Location, error) {
		locs, err := f.setup.ListLocations(f.t.Context())
		if err != nil {
			return nil, err
		}
		for _, l := range locs {
			if l.Name == name {
				return l, nil
			}
		}
		return nil, fmt.Errorf("no zone %s", name)
	})
}

// zone2 is the id of the zone with isolated networks.
func (f *specFixture) zone2() string { return f.zone(cloudstacksim.ZoneName2).ID }

// image returns the seeded tiny Linux template.
func (f *specFixture) image() *compute.Image {
	return specCached(f, "image", func() (*compute.Image, error) {
		imgs, err := f.setup.ListImages(f.t.Context(), nil)
		if err != nil {
			return nil, err
		}
		for _, i := range imgs {
			if i.Name == cloudstacksim.TemplateTinyLinux {
				return i, nil
			}
		}
		return nil, errors.New("no tiny Linux template")
	})
}

// size returns the seeded tiny service offering.
func (f *specFixture) size() *compute.Size {
	return specCached(f, "size", func() (*compute.Size, error) {
		sizes, err := f.setup.ListSizes(f.t.Context(), nil)
		if err != nil {
			return nil, err
		}
		for _, s := range sizes {
			if s.Name == cloudstacksim.OfferingTiny {
				return s, nil
			}
		}
		return nil, errors.New("no tiny offering")
	})
}

// newNode creates a running VM in the zone with isolated networks.
func (f *specFixture) newNode() *compute.Node {
	n, err := f.setup.CreateNode(f.t.Context(), &compute.CreateNodeRequest{Name: f.name("vm"), Image: f.image(),
		Size: f.size(), Location: f.zone(cloudstacksim.ZoneName2)})
	return specMust(n, err)
}

// node returns a shared running VM; cases must not destroy it.
func (f *specFixture) node() *compute.Node {
	return specCached(f, "node", func() (*compute.Node, error) { return f.newNode(), nil })
}

// newVolume creates a 1 GB data volume in the zone with isolated networks.
func (f *specFixture) newVolume() *compute.Volume {
	v, err := f.setup.CreateVolume(f.t.Context(), &compute.CreateVolumeRequest{Name: f.name("vol"), Size: 1,
		Location: f.zone(cloudstacksim.ZoneName2)})
	return specMust(v, err)
}

// readyVolume returns a new data volume that has been attached once (so
// that it is Ready, as a snapshot needs).
func (f *specFixture) readyVolume() *compute.Volume {
	v := f.newVolume()
	specDo(f.setup.AttachVolume(f.t.Context(), v.ID, f.node().ID, ""))
	specDo(f.setup.DetachVolume(f.t.Context(), v.ID))
	return v
}

// newSnapshot snapshots a new data volume.
func (f *specFixture) newSnapshot() *compute.VolumeSnapshot {
	s, err := f.setup.CreateVolumeSnapshot(f.t.Context(), f.readyVolume().ID, f.name("snap"))
	return specMust(s, err)
}

// osTypeID returns the id of an OS type.
func (f *specFixture) osTypeID() string {
	return specCached(f, "ostype", func() (string, error) {
		os, err := f.setup.ExListOSTypes(f.t.Context(), nil)
		if err == nil && len(os) == 0 {
			err = errors.New("no OS type")
		}
		if err != nil {
			return "", err
		}
		return os[0].ID, nil
	})
}

// publicKey returns a new ed25519 public key in authorized_keys form.
func (f *specFixture) publicKey() string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	specDo(err)
	key := specMust(ssh.NewPublicKey(pub))
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
}

// network returns the admin's isolated network in zone 2.
func (f *specFixture) network() cloudstack.Network {
	return specCached(f, "network", func() (cloudstack.Network, error) {
		nets, err := f.setup.ExListNetworks(f.t.Context(), &cloudstack.ListNetworksOptions{ZoneID: f.zone2(), Type: "Isolated"})
		if err != nil {
			return cloudstack.Network{}, err
		}
		if len(nets) == 0 {
			return cloudstack.Network{}, errors.New("no isolated network in zone 2")
		}
		return nets[0], nil
	})
}

// newPublicIP allocates a public IP address on the isolated network.
func (f *specFixture) newPublicIP() *cloudstack.PublicIP {
	ip, err := f.setup.ExAllocatePublicIP(f.t.Context(), &cloudstack.AllocatePublicIPOptions{NetworkID: f.network().ID})
	return specMust(ip, err)
}

// iterErr drains an iterator and returns its first error.
func iterErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// stoppedNode creates a VM and stops it.
func (f *specFixture) stoppedNode() *compute.Node {
	n := f.newNode()
	specDo(f.setup.StopNode(f.t.Context(), n.ID))
	return n
}

// newSecurityGroup creates a security group.
func (f *specFixture) newSecurityGroup() *cloudstack.SecurityGroup {
	g, err := f.setup.ExCreateSecurityGroup(f.t.Context(), f.name("sg"), nil)
	return specMust(g, err)
}

// newAffinityGroup creates a host anti-affinity group.
func (f *specFixture) newAffinityGroup() *cloudstack.AffinityGroup {
	g, err := f.setup.ExCreateAffinityGroup(f.t.Context(), f.name("ag"), "host anti-affinity", nil)
	return specMust(g, err)
}

// newKeyPair creates an SSH key pair.
func (f *specFixture) newKeyPair() *compute.KeyPair {
	k, err := f.setup.CreateKeyPair(f.t.Context(), f.name("key"))
	return specMust(k, err)
}

// staticNATIP allocates a public IP with static NAT to node.
func (f *specFixture) staticNATIP(node *compute.Node) *cloudstack.PublicIP {
	ip := f.newPublicIP()
	specDo(f.setup.ExEnableStaticNAT(f.t.Context(), ip.ID, node.ID, nil))
	return ip
}

// offeringID returns the id of the network offering named name.
func (f *specFixture) offeringID(name string) string {
	return specCached(f, "offering:"+name, func() (string, error) {
		offs, err := f.setup.ExListNetworkOfferings(f.t.Context(), nil)
		if err != nil {
			return "", err
		}
		for _, o := range offs {
			if o.Name == name {
				return o.ID, nil
			}
		}
		return "", fmt.Errorf("no network offering %s", name)
	})
}

// newNetwork creates an isolated network in zone 2.
func (f *specFixture) newNetwork() *cloudstack.Network {
	n, err := f.setup.ExCreateNetwork(f.t.Context(), &cloudstack.CreateNetworkRequest{Name: f.name("net"),
		DisplayText: "spec", NetworkOfferingID: f.offeringID("DefaultIsolatedNetworkOfferingWithSourceNatService"), ZoneID: f.zone2()})
	return specMust(n, err)
}

// newVPC creates a VPC (10.100.0.0/16) in zone 2 with the default VPC
// offering.
func (f *specFixture) newVPC() *cloudstack.VPC {
	offID := specCached(f, "vpc offering", func() (string, error) {
		offs, err := f.setup.ExListVPCOfferings(f.t.Context(), nil)
		if err != nil {
			return "", err
		}
		for _, o := range offs {
			if o.Name == "Default VPC offering" {
				return o.ID, nil
			}
		}
		return "", errors.New("no default VPC offering")
	})
	v, err := f.setup.ExCreateVPC(f.t.Context(), &cloudstack.CreateVPCRequest{Name: f.name("vpc"), DisplayText: "spec",
		CIDR: "10.100.0.0/16", VPCOfferingID: offID, ZoneID: f.zone2()})
	return specMust(v, err)
}

// newTier creates a tier (10.100.1.0/24) of the VPC.
func (f *specFixture) newTier(vpc *cloudstack.VPC) *cloudstack.Network {
	n, err := f.setup.ExCreateNetwork(f.t.Context(), &cloudstack.CreateNetworkRequest{Name: f.name("tier"),
		DisplayText: "spec", NetworkOfferingID: f.offeringID("DefaultIsolatedNetworkOfferingForVpcNetworks"),
		ZoneID: f.zone2(), VPCID: vpc.ID, Gateway: "10.100.1.1", Netmask: "255.255.255.0"})
	return specMust(n, err)
}

// newACLList creates a network ACL list in the VPC.
func (f *specFixture) newACLList(vpc *cloudstack.VPC) *cloudstack.NetworkACLList {
	l, err := f.setup.ExCreateNetworkACLList(f.t.Context(), f.name("acl"), vpc.ID, nil)
	return specMust(l, err)
}

// newVPNGateway creates a new VPC and its site-to-site VPN gateway.
func (f *specFixture) newVPNGateway() *cloudstack.VPNGateway {
	g, err := f.setup.ExCreateVPNGateway(f.t.Context(), f.newVPC().ID, nil)
	return specMust(g, err)
}

// customerGateway is a VPN customer gateway request with a gateway
// address and a CIDR of its own.
func (f *specFixture) customerGateway() *cloudstack.CreateVPNCustomerGatewayRequest {
	name := f.name("cgw")
	return &cloudstack.CreateVPNCustomerGatewayRequest{Name: name, Gateway: fmt.Sprintf("192.0.2.%d", 1+f.seq%250),
		CIDRList: []string{fmt.Sprintf("10.%d.0.0/16", 200+f.seq%50)}, IKEPolicy: "aes128-sha1", ESPPolicy: "aes128-sha1",
		IPsecPSK: "spec-psk"}
}

// newCustomerGateway creates a VPN customer gateway.
func (f *specFixture) newCustomerGateway() *cloudstack.VPNCustomerGateway {
	g, err := f.setup.ExCreateVPNCustomerGateway(f.t.Context(), f.customerGateway())
	return specMust(g, err)
}

// tcp22 is a rule for TCP port 22 from anywhere.
var tcp22 = cloudstack.FirewallRuleOptions{Protocol: "tcp", CIDRList: []string{"0.0.0.0/0"}, StartPort: new(22), EndPort: new(22)}

// sshIngress is a security group rule for TCP port 22 from anywhere.
var sshIngress = cloudstack.SecurityGroupRuleOptions{Protocol: "tcp", CIDRList: []string{"0.0.0.0/0"}, StartPort: new(22), EndPort: new(22)}

// errOnly drops a result.
func errOnly[T any](_ T, err error) error { return err }

// specCases is the table of realistic calls, by family. A command the
// simulator does not implement may be sent with made-up ids (specUUID): the
// request is still checked, the error accepted.
var specCases = []specCase{
	// Catalogue.
	{"ListLocations", func(c *specCall) error { return errOnly(c.d.ListLocations(c.ctx)) }},
	{"ListSizes", func(c *specCall) error { return errOnly(c.d.ListSizes(c.ctx, c.zone(cloudstacksim.ZoneName1))) }},
	{"ListImages", func(c *specCall) error { return errOnly(c.d.ListImages(c.ctx, c.zone(cloudstacksim.ZoneName2))) }},
	{"GetImage", func(c *specCall) error { return errOnly(c.d.GetImage(c.ctx, c.image().ID)) }},
	{"ExListDiskOfferings", func(c *specCall) error {
		return errOnly(c.d.ExListDiskOfferings(c.ctx, &cloudstack.ListDiskOfferingsOptions{ZoneID: c.zone2(), Name: "Small"}))
	}},
	{"ExListOSTypes", func(c *specCall) error {
		return errOnly(c.d.ExListOSTypes(c.ctx, &cloudstack.ListOSTypesOptions{Keyword: "Linux"}))
	}},
	{"ExListNetworkOfferings", func(c *specCall) error { return errOnly(c.d.ExListNetworkOfferings(c.ctx, nil)) }},
	{"ExListVPCOfferings", func(c *specCall) error { return errOnly(c.d.ExListVPCOfferings(c.ctx, nil)) }},
	{"ExRegisterISO", func(c *specCall) error {
		return errOnly(c.d.ExRegisterISO(c.ctx, c.name("iso"), "http://example.com/x.iso",
			&cloudstack.RegisterISOOptions{ZoneID: c.zone2(), DisplayText: "spec", OSTypeID: c.osTypeID()}))
	}},

	// Nodes.
	{"CreateNode", func(c *specCall) error {
		return errOnly(c.d.CreateNode(c.ctx, &compute.CreateNodeRequest{Name: c.name("vm"), Image: c.image(), Size: c.size(),
			Location: c.zone(cloudstacksim.ZoneName2)}))
	}},
	{"CreateNode", func(c *specCall) error {
		key, ag := c.newKeyPair(), c.newAffinityGroup()
		return errOnly(c.d.CreateNode(c.ctx, &compute.CreateNodeRequest{Name: c.name("vm"), Image: c.image(), Size: c.size(),
			Location: c.zone(cloudstacksim.ZoneName1), ProviderOptions: &cloudstack.CreateNodeOptions{KeyPair: key.Name,
				SecurityGroupNames: []string{"default"}, AffinityGroupIDs: []string{ag.ID}, UserData: "#!/bin/sh\n",
				DisplayName: "spec node"}}))
	}},
	{"ListNodes", func(c *specCall) error { c.node(); return errOnly(c.d.ListNodes(c.ctx)) }},
	{"ExListNodes", func(c *specCall) error {
		return errOnly(c.d.ExListNodes(c.ctx, &cloudstack.ListNodesOptions{ZoneID: c.zone2(), State: "Running",
			Tags: map[string]string{"a": "b"}, IncludeDestroyed: true}))
	}},
	{"ExIterNodes", func(c *specCall) error { c.node(); return iterErr(c.d.ExIterNodes(c.ctx, nil)) }},
	{"GetNode", func(c *specCall) error { return errOnly(c.d.GetNode(c.ctx, c.node().ID)) }},
	{"ExGetNode", func(c *specCall) error {
		return errOnly(c.d.ExGetNode(c.ctx, c.node().ID, &cloudstack.ListNodesOptions{ListAll: true}))
	}},
	{"RebootNode", func(c *specCall) error { return c.d.RebootNode(c.ctx, c.node().ID) }},
	{"StopNode", func(c *specCall) error { return c.d.StopNode(c.ctx, c.newNode().ID) }},
	{"StartNode", func(c *specCall) error { return c.d.StartNode(c.ctx, c.stoppedNode().ID) }},
	{"ExStop", func(c *specCall) error {
		return errOnly(c.d.ExStop(c.ctx, c.newNode().ID, &cloudstack.StopOptions{Forced: true}))
	}},
	{"ExStart", func(c *specCall) error { return errOnly(c.d.ExStart(c.ctx, c.stoppedNode().ID)) }},
	{"DestroyNode", func(c *specCall) error { return c.d.DestroyNode(c.ctx, c.newNode().ID) }},
	{"ExDestroyNode", func(c *specCall) error {
		return c.d.ExDestroyNode(c.ctx, c.newNode().ID, &cloudstack.DestroyNodeOptions{Expunge: true})
	}},
	{"ExRestore", func(c *specCall) error { return errOnly(c.d.ExRestore(c.ctx, c.newNode().ID, c.image().ID)) }},
	{"ExChangeNodeSize", func(c *specCall) error {
		return errOnly(c.d.ExChangeNodeSize(c.ctx, c.stoppedNode().ID, specMust(c.setup.ListSizes(c.ctx, nil))[1].ID))
	}},
	{"ExUpdateNodeAffinityGroup", func(c *specCall) error {
		return errOnly(c.d.ExUpdateNodeAffinityGroup(c.ctx, c.stoppedNode().ID, []string{c.newAffinityGroup().ID}))
	}},
	{"ExListNics", func(c *specCall) error { return errOnly(c.d.ExListNics(c.ctx, c.node().ID, nil)) }},
	{"ExAttachNicToNode", func(c *specCall) error {
		return errOnly(c.d.ExAttachNicToNode(c.ctx, c.node().ID, c.newNetwork().ID, nil))
	}},
	{"ExDetachNicFromNode", func(c *specCall) error {
		n := c.newNode()
		nic := specMust(c.setup.ExAttachNicToNode(c.ctx, n.ID, c.newNetwork().ID, nil))
		return c.d.ExDetachNicFromNode(c.ctx, nic.ID, n.ID)
	}},

	// Images.
	{"CreateImage", func(c *specCall) error {
		return errOnly(c.d.CreateImage(c.ctx, c.stoppedNode().ID, c.name("img"), "spec image"))
	}},
	{"DeleteImage", func(c *specCall) error {
		img := specMust(c.setup.CreateImage(c.ctx, c.stoppedNode().ID, c.name("img"), ""))
		return c.d.DeleteImage(c.ctx, img.ID)
	}},
	{"ExCreateSnapshotTemplate", func(c *specCall) error {
		return errOnly(c.d.ExCreateSnapshotTemplate(c.ctx, c.newSnapshot().ID, c.name("tmpl"), c.osTypeID(),
			&cloudstack.SnapshotTemplateOptions{DisplayText: "spec"}))
	}},

	// Key pairs.
	{"ListKeyPairs", func(c *specCall) error { c.newKeyPair(); return errOnly(c.d.ListKeyPairs(c.ctx)) }},
	{"GetKeyPair", func(c *specCall) error { return errOnly(c.d.GetKeyPair(c.ctx, c.newKeyPair().Name)) }},
	{"CreateKeyPair", func(c *specCall) error { return errOnly(c.d.CreateKeyPair(c.ctx, c.name("key"))) }},
	{"ImportKeyPair", func(c *specCall) error {
		return errOnly(c.d.ImportKeyPair(c.ctx, c.name("key"), c.publicKey()))
	}},
	{"DeleteKeyPair", func(c *specCall) error { return c.d.DeleteKeyPair(c.ctx, c.newKeyPair().Name) }},

	// Volumes and snapshots.
	{"ListVolumes", func(c *specCall) error { c.newVolume(); return errOnly(c.d.ListVolumes(c.ctx)) }},
	{"ExGetVolume", func(c *specCall) error { return errOnly(c.d.ExGetVolume(c.ctx, c.newVolume().ID, nil)) }},
	{"CreateVolume", func(c *specCall) error {
		return errOnly(c.d.CreateVolume(c.ctx, &compute.CreateVolumeRequest{Name: c.name("vol"), Size: 2,
			Location: c.zone(cloudstacksim.ZoneName2)}))
	}},
	{"AttachVolume", func(c *specCall) error { return c.d.AttachVolume(c.ctx, c.newVolume().ID, c.node().ID, "") }},
	{"DetachVolume", func(c *specCall) error {
		v := c.newVolume()
		specDo(c.setup.AttachVolume(c.ctx, v.ID, c.node().ID, ""))
		return c.d.DetachVolume(c.ctx, v.ID)
	}},
	{"ResizeVolume", func(c *specCall) error { return errOnly(c.d.ResizeVolume(c.ctx, c.newVolume().ID, 3)) }},
	{"DestroyVolume", func(c *specCall) error { return c.d.DestroyVolume(c.ctx, c.newVolume().ID) }},
	{"CreateVolumeSnapshot", func(c *specCall) error {
		return errOnly(c.d.CreateVolumeSnapshot(c.ctx, c.readyVolume().ID, c.name("snap")))
	}},
	{"ListVolumeSnapshots", func(c *specCall) error {
		return errOnly(c.d.ListVolumeSnapshots(c.ctx, c.newSnapshot().VolumeID))
	}},
	{"DestroyVolumeSnapshot", func(c *specCall) error { return c.d.DestroyVolumeSnapshot(c.ctx, c.newSnapshot().ID) }},

	// Public IPs and static NAT.
	{"ExListPublicIPs", func(c *specCall) error {
		return errOnly(c.d.ExListPublicIPs(c.ctx, &cloudstack.ListPublicIPsOptions{ZoneID: c.zone2()}))
	}},
	{"ExAllocatePublicIP", func(c *specCall) error {
		return errOnly(c.d.ExAllocatePublicIP(c.ctx, &cloudstack.AllocatePublicIPOptions{NetworkID: c.network().ID}))
	}},
	{"ExReleasePublicIP", func(c *specCall) error { return c.d.ExReleasePublicIP(c.ctx, c.newPublicIP().ID) }},
	{"ExEnableStaticNAT", func(c *specCall) error {
		return c.d.ExEnableStaticNAT(c.ctx, c.newPublicIP().ID, c.newNode().ID, nil)
	}},
	{"ExDisableStaticNAT", func(c *specCall) error { return c.d.ExDisableStaticNAT(c.ctx, c.staticNATIP(c.newNode()).ID) }},

	// Firewall, port forwarding and IP forwarding rules.
	{"ExListFirewallRules", func(c *specCall) error { return errOnly(c.d.ExListFirewallRules(c.ctx, nil)) }},
	{"ExCreateFirewallRule", func(c *specCall) error {
		return errOnly(c.d.ExCreateFirewallRule(c.ctx, c.newPublicIP().ID, &tcp22))
	}},
	{"ExDeleteFirewallRule", func(c *specCall) error {
		r := specMust(c.setup.ExCreateFirewallRule(c.ctx, c.newPublicIP().ID, &tcp22))
		return c.d.ExDeleteFirewallRule(c.ctx, r.ID)
	}},
	{"ExListEgressFirewallRules", func(c *specCall) error { return errOnly(c.d.ExListEgressFirewallRules(c.ctx, nil)) }},
	{"ExCreateEgressFirewallRule", func(c *specCall) error {
		return errOnly(c.d.ExCreateEgressFirewallRule(c.ctx, c.newNetwork().ID, &tcp22))
	}},
	{"ExDeleteEgressFirewallRule", func(c *specCall) error {
		r := specMust(c.setup.ExCreateEgressFirewallRule(c.ctx, c.newNetwork().ID, &tcp22))
		return c.d.ExDeleteEgressFirewallRule(c.ctx, r.ID)
	}},
	{"ExListPortForwardingRules", func(c *specCall) error { return errOnly(c.d.ExListPortForwardingRules(c.ctx, nil)) }},
	{"ExCreatePortForwardingRule", func(c *specCall) error {
		return errOnly(c.d.ExCreatePortForwardingRule(c.ctx, c.newPublicIP().ID, c.node().ID,
			&cloudstack.PortForwardingRuleOptions{Protocol: "tcp", PublicPort: new(2222), PrivatePort: new(22)}))
	}},
	{"ExDeletePortForwardingRule", func(c *specCall) error {
		r := specMust(c.setup.ExCreatePortForwardingRule(c.ctx, c.newPublicIP().ID,
			c.node().ID, &cloudstack.PortForwardingRuleOptions{Protocol: "tcp", PublicPort: new(2222), PrivatePort: new(22)}))
		return c.d.ExDeletePortForwardingRule(c.ctx, r.ID)
	}},
	{"ExListIPForwardingRules", func(c *specCall) error { return errOnly(c.d.ExListIPForwardingRules(c.ctx, nil)) }},
	{"ExCreateIPForwardingRule", func(c *specCall) error {
		return errOnly(c.d.ExCreateIPForwardingRule(c.ctx, c.staticNATIP(c.newNode()).ID,
			&cloudstack.IPForwardingRuleOptions{Protocol: "tcp", StartPort: new(22), EndPort: new(22)}))
	}},
	{"ExDeleteIPForwardingRule", func(c *specCall) error {
		r := specMust(c.setup.ExCreateIPForwardingRule(c.ctx, c.staticNATIP(c.newNode()).ID,
			&cloudstack.IPForwardingRuleOptions{Protocol: "tcp", StartPort: new(22), EndPort: new(22)}))
		return c.d.ExDeleteIPForwardingRule(c.ctx, r.ID)
	}},

	// Security groups.
	{"ExListSecurityGroups", func(c *specCall) error { return errOnly(c.d.ExListSecurityGroups(c.ctx, nil)) }},
	{"ExCreateSecurityGroup", func(c *specCall) error {
		return errOnly(c.d.ExCreateSecurityGroup(c.ctx, c.name("sg"), &cloudstack.CreateSecurityGroupOptions{Description: "spec"}))
	}},
	{"ExDeleteSecurityGroup", func(c *specCall) error {
		return c.d.ExDeleteSecurityGroup(c.ctx, cloudstack.SecurityGroupRef{Name: c.newSecurityGroup().Name})
	}},
	{"ExAuthorizeSecurityGroupIngress", func(c *specCall) error {
		return errOnly(c.d.ExAuthorizeSecurityGroupIngress(c.ctx, cloudstack.SecurityGroupRef{ID: c.newSecurityGroup().ID}, &sshIngress))
	}},
	{"ExRevokeSecurityGroupIngress", func(c *specCall) error {
		g := specMust(c.setup.ExAuthorizeSecurityGroupIngress(c.ctx,
			cloudstack.SecurityGroupRef{ID: c.newSecurityGroup().ID}, &sshIngress))
		return c.d.ExRevokeSecurityGroupIngress(c.ctx, g.IngressRules[0].RuleID)
	}},
	{"ExAuthorizeSecurityGroupEgress", func(c *specCall) error {
		return errOnly(c.d.ExAuthorizeSecurityGroupEgress(c.ctx, cloudstack.SecurityGroupRef{Name: c.newSecurityGroup().Name}, &sshIngress))
	}},
	{"ExRevokeSecurityGroupEgress", func(c *specCall) error {
		g := specMust(c.setup.ExAuthorizeSecurityGroupEgress(c.ctx,
			cloudstack.SecurityGroupRef{ID: c.newSecurityGroup().ID}, &sshIngress))
		return c.d.ExRevokeSecurityGroupEgress(c.ctx, g.EgressRules[0].RuleID)
	}},

	// Affinity groups.
	{"ExListAffinityGroups", func(c *specCall) error { return errOnly(c.d.ExListAffinityGroups(c.ctx, nil)) }},
	{"ExListAffinityGroupTypes", func(c *specCall) error { return errOnly(c.d.ExListAffinityGroupTypes(c.ctx)) }},
	{"ExCreateAffinityGroup", func(c *specCall) error {
		return errOnly(c.d.ExCreateAffinityGroup(c.ctx, c.name("ag"), "host anti-affinity",
			&cloudstack.CreateAffinityGroupOptions{Description: "spec"}))
	}},
	{"ExDeleteAffinityGroup", func(c *specCall) error { return c.d.ExDeleteAffinityGroup(c.ctx, c.newAffinityGroup().ID) }},

	// Tags, projects, limits.
	{"ExCreateTags", func(c *specCall) error {
		return c.d.ExCreateTags(c.ctx, []string{c.node().ID}, "UserVm", map[string]string{"env": "spec", "team": "a"})
	}},
	{"ExListTags", func(c *specCall) error {
		return errOnly(c.d.ExListTags(c.ctx, &cloudstack.ListTagsOptions{ResourceType: "UserVm", Key: "env"}))
	}},
	{"ExDeleteTags", func(c *specCall) error {
		n := c.newNode()
		specDo(c.setup.ExCreateTags(c.ctx, []string{n.ID}, "UserVm", map[string]string{"k": "v"}))
		return c.d.ExDeleteTags(c.ctx, []string{n.ID}, "UserVm", []string{"k"})
	}},
	{"ExListProjects", func(c *specCall) error { return errOnly(c.d.ExListProjects(c.ctx, nil)) }},
	{"ExLimits", func(c *specCall) error { return errOnly(c.d.ExLimits(c.ctx, nil)) }},

	// Networks, routers.
	{"ExListNetworks", func(c *specCall) error {
		return errOnly(c.d.ExListNetworks(c.ctx, &cloudstack.ListNetworksOptions{ZoneID: c.zone2(), Name: c.network().Name}))
	}},
	{"ExCreateNetwork", func(c *specCall) error {
		return errOnly(c.d.ExCreateNetwork(c.ctx, &cloudstack.CreateNetworkRequest{Name: c.name("net"), DisplayText: "spec",
			NetworkOfferingID: c.offeringID("DefaultIsolatedNetworkOfferingWithSourceNatService"), ZoneID: c.zone2()}))
	}},
	{"ExDeleteNetwork", func(c *specCall) error { return c.d.ExDeleteNetwork(c.ctx, c.newNetwork().ID, nil) }},
	{"ExListRouters", func(c *specCall) error { return errOnly(c.d.ExListRouters(c.ctx, nil)) }},

	// VPCs and network ACLs.
	{"ExListVPCs", func(c *specCall) error { return errOnly(c.d.ExListVPCs(c.ctx, nil)) }},
	{"ExCreateVPC", func(c *specCall) error {
		vpc := c.newVPC() // for the offering id
		return errOnly(c.d.ExCreateVPC(c.ctx, &cloudstack.CreateVPCRequest{Name: c.name("vpc"), DisplayText: "spec",
			CIDR: "10.101.0.0/16", VPCOfferingID: vpc.VPCOfferingID, ZoneID: c.zone2(), NetworkDomain: "spec.internal"}))
	}},
	{"ExDeleteVPC", func(c *specCall) error { return c.d.ExDeleteVPC(c.ctx, c.newVPC().ID) }},
	{"ExCreateNetwork", func(c *specCall) error {
		return errOnly(c.d.ExCreateNetwork(c.ctx, &cloudstack.CreateNetworkRequest{Name: c.name("tier"), DisplayText: "spec",
			NetworkOfferingID: c.offeringID("DefaultIsolatedNetworkOfferingForVpcNetworks"), ZoneID: c.zone2(),
			VPCID: c.newVPC().ID, Gateway: "10.100.2.1", Netmask: "255.255.255.0"}))
	}},
	{"ExListNetworkACLLists", func(c *specCall) error {
		return errOnly(c.d.ExListNetworkACLLists(c.ctx, &cloudstack.ListNetworkACLListsOptions{VPCID: c.newVPC().ID}))
	}},
	{"ExCreateNetworkACLList", func(c *specCall) error {
		return errOnly(c.d.ExCreateNetworkACLList(c.ctx, c.name("acl"), c.newVPC().ID,
			&cloudstack.CreateNetworkACLListOptions{Description: "spec"}))
	}},
	{"ExListNetworkACLs", func(c *specCall) error { return errOnly(c.d.ExListNetworkACLs(c.ctx, nil)) }},
	{"ExCreateNetworkACL", func(c *specCall) error {
		start, end, number := 22, 22, 10
		return errOnly(c.d.ExCreateNetworkACL(c.ctx, &cloudstack.CreateNetworkACLRequest{ACLID: c.newACLList(c.newVPC()).ID,
			Protocol: "tcp", CIDRList: []string{"0.0.0.0/0"}, StartPort: &start, EndPort: &end, Action: "Allow",
			TrafficType: "Ingress", Number: &number}))
	}},
	{"ExReplaceNetworkACLList", func(c *specCall) error {
		vpc := c.newVPC()
		return c.d.ExReplaceNetworkACLList(c.ctx, c.newACLList(vpc).ID, c.newTier(vpc).ID)
	}},

	// Site-to-site VPN.
	{"ExListVPNGateways", func(c *specCall) error { return errOnly(c.d.ExListVPNGateways(c.ctx, nil)) }},
	{"ExCreateVPNGateway", func(c *specCall) error { return errOnly(c.d.ExCreateVPNGateway(c.ctx, c.newVPC().ID, nil)) }},
	{"ExDeleteVPNGateway", func(c *specCall) error { return c.d.ExDeleteVPNGateway(c.ctx, c.newVPNGateway().ID) }},
	{"ExListVPNCustomerGateways", func(c *specCall) error { return errOnly(c.d.ExListVPNCustomerGateways(c.ctx, nil)) }},
	{"ExCreateVPNCustomerGateway", func(c *specCall) error {
		return errOnly(c.d.ExCreateVPNCustomerGateway(c.ctx, c.customerGateway()))
	}},
	{"ExDeleteVPNCustomerGateway", func(c *specCall) error {
		return c.d.ExDeleteVPNCustomerGateway(c.ctx, c.newCustomerGateway().ID)
	}},
	{"ExListVPNConnections", func(c *specCall) error { return errOnly(c.d.ExListVPNConnections(c.ctx, nil)) }},
	{"ExCreateVPNConnection", func(c *specCall) error {
		return errOnly(c.d.ExCreateVPNConnection(c.ctx, c.newCustomerGateway().ID, c.newVPNGateway().ID,
			&cloudstack.CreateVPNConnectionOptions{Passive: true}))
	}},
	{"ExDeleteVPNConnection", func(c *specCall) error {
		conn := specMust(c.setup.ExCreateVPNConnection(c.ctx, c.newCustomerGateway().ID, c.newVPNGateway().ID, nil))
		return c.d.ExDeleteVPNConnection(c.ctx, conn.ID)
	}},

	// Any command.
	{"ExRawRequest", func(c *specCall) error {
		return errOnly(c.d.ExRawRequest(c.ctx, "listZones", url.Values{"available": {"true"}}))
	}},
	{"ExRawRequest", func(c *specCall) error {
		return errOnly(c.d.ExRawRequest(c.ctx, "createTags", url.Values{"resourceids": {c.node().ID},
			"resourcetype": {"UserVm"}, "tags[0].key": {"raw"}, "tags[0].value": {"1"}}))
	}},
}

// TestSpecProblems checks the checker itself on requests that break the
// spec in each way it knows.
func TestSpecProblems(t *testing.T) {
	spec, err := cloudstacksim.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		command string
		params  string
		want    []string
	}{
		{"listZones", "command=listZones&response=json&apiKey=k&signature=s&signatureVersion=3&expires=x&available=true&ID=1", nil},
		{"createTags", "resourceIds=1&resourceType=UserVm&tags[0].key=a&tags[0].value=b", nil},
		{"listzones", "", []string{"not a command of the spec (names are case-sensitive)"}},
		{"listZones", "zone=1", []string{`parameter "zone" is not in the spec`}},
		{"createTags", "resourceids=1&resourcetype=UserVm&tags=a", []string{
			`parameter "tags" is a map in the spec: send tags[0].key=...`}},
		{"createTags", "resourceids=1&resourcetype=UserVm", []string{`required parameter "tags" is not sent`}},
		{"deleteTags", "resourceids=1&resourcetype=UserVm&resourceids[0].x=1", []string{
			`parameter "resourceids[0].x" is sent as a map, the spec's resourceids is a list`}},
		{"deployVirtualMachine", "zoneid=1&templateid=2", []string{`required parameter "serviceofferingid" is not sent`}},
	} {
		params, err := url.ParseQuery(tc.params)
		if err != nil {
			t.Fatal(err)
		}
		got := specProblems(spec, specRequest{command: tc.command, params: params})
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s?%s: problems %q, want %q", tc.command, tc.params, got, tc.want)
		}
	}
}

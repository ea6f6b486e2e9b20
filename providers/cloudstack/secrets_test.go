package cloudstack_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// signatureRecorder serves the simulator and keeps every signature the
// clients sent, so that the test can look for them where they must not be.
type signatureRecorder struct {
	h    http.Handler
	mu   sync.Mutex
	sigs map[string]bool
}

func (s *signatureRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err == nil {
		for k, vs := range r.Form {
			if strings.EqualFold(k, "signature") {
				s.mu.Lock()
				for _, v := range vs {
					s.sigs[v] = true
				}
				s.mu.Unlock()
			}
		}
	}
	s.h.ServeHTTP(w, r)
}

func (s *signatureRecorder) signatures() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.sigs))
	for v := range s.sigs {
		out = append(out, v)
	}
	return out
}

// TestSecretHygiene runs the driver through a full session (catalogue, key
// pairs, a password-enabled VM with user data, its lifecycle, raw requests,
// and the simulator's faults on the answers that carry secrets) with debug
// logging captured, and fails if the secret key, any signature, a VM
// password, the user data or a private key appears in the logs, in an
// error string (also as %+v and %#v), in a panic, or in the printed
// options and driver.
func TestSecretHygiene(t *testing.T) {
	t.Parallel()
	const (
		apiKey    = "hygiene-api-key-9f3c"
		secretKey = "hygiene-SECRET-key-6Qv2xL0pR8"
		userData  = "#cloud-config\nruncmd:\n - echo hygiene-USERDATA-7Kd93mZ > /root/token\n"
		password  = "hygiene-PASSWORD-w8Xn2"
	)
	sim := cloudstacksim.New(&cloudstacksim.Options{APIKey: apiKey, SecretKey: secretKey, JobDelay: 10 * time.Millisecond, SSHKeyBits: 1024})
	rec := &signatureRecorder{h: sim, sigs: map[string]bool{}}
	srv := httptest.NewServer(rec)
	t.Cleanup(func() {
		sim.Close()
		srv.CloseClientConnections()
		srv.Close()
	})
	logs := &relBuffer{}
	opts := &cloudstack.Options{
		URL: srv.URL + cloudstacksim.DefaultPath, Key: apiKey, Secret: secretKey, Timeout: 10 * time.Second,
		Logger:   slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Settings: relSettings(),
	}
	d, err := cloudstack.New(opts)
	require.NoError(t, err)
	ctx := context.Background()

	var (
		errs     []error
		panics   []string
		secrets  = []string{secretKey, password, userData, base64.StdEncoding.EncodeToString([]byte(userData)), "hygiene-USERDATA-7Kd93mZ"}
		privKeys []string
	)
	// step runs one operation, keeping its error and any panic.
	step := func(name string, fn func() error) {
		t.Helper()
		defer func() {
			if p := recover(); p != nil {
				panics = append(panics, fmt.Sprint(p))
				t.Errorf("%s panicked: %v", name, p)
			}
		}()
		if err := fn(); err != nil {
			errs = append(errs, err)
		}
	}
	var zone, image, size string
	step("catalogue", func() error {
		locs, err := d.ListLocations(ctx)
		if err != nil {
			return err
		}
		zone = locs[0].ID
		images, err := d.ListImages(ctx, nil)
		if err != nil {
			return err
		}
		for _, i := range images {
			if i.Name == "Ubuntu 22.04 LTS" { // password-enabled
				image = i.ID
			}
		}
		sizes, err := d.ListSizes(ctx, nil)
		if err != nil {
			return err
		}
		size = sizes[0].ID
		return nil
	})
	require.NotEmpty(t, image)
	step("CreateKeyPair", func() error {
		kp, err := d.CreateKeyPair(ctx, "hygiene-key")
		if err != nil {
			return err
		}
		require.Contains(t, kp.PrivateKey, "PRIVATE KEY")
		privKeys = append(privKeys, kp.PrivateKey)
		return nil
	})
	var node *compute.Node
	step("CreateNode", func() error {
		n, err := d.CreateNode(ctx, &compute.CreateNodeRequest{
			Name: "hygiene-vm", Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size},
			Location:        &compute.Location{ID: zone},
			ProviderOptions: &cloudstack.CreateNodeOptions{UserData: userData, KeyPair: "hygiene-key"},
		})
		if err != nil {
			return err
		}
		node = n
		pw, _ := n.Extra["password"].(string)
		require.NotEmpty(t, pw, "the password-enabled template gives a generated password")
		secrets = append(secrets, pw)
		return nil
	})
	require.NotNil(t, node)
	step("GetNode", func() error { _, err := d.GetNode(ctx, node.ID); return err })
	step("ListNodes", func() error { _, err := d.ListNodes(ctx); return err })
	step("StopNode", func() error { return d.StopNode(ctx, node.ID) })
	step("StartNode", func() error { return d.StartNode(ctx, node.ID) })
	step("RebootNode", func() error { return d.RebootNode(ctx, node.ID) })
	step("resetPasswordForVirtualMachine", func() error {
		if err := d.StopNode(ctx, node.ID); err != nil {
			return err
		}
		raw, err := d.ExRawRequest(ctx, "resetPasswordForVirtualMachine", url.Values{"id": {node.ID}})
		if err != nil {
			return err
		}
		var res struct {
			VirtualMachine struct {
				Password string `json:"password"`
			} `json:"virtualmachine"`
		}
		require.NoError(t, json.Unmarshal(raw, &res))
		require.NotEmpty(t, res.VirtualMachine.Password, "reset gives a new password")
		secrets = append(secrets, res.VirtualMachine.Password)
		return nil
	})

	// Error paths, each with a secret at hand.
	step("password refused", func() error {
		_, err := d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "pw", Image: &compute.Image{ID: image},
			Size: &compute.Size{ID: size}, Auth: compute.NodeAuthPassword(password)})
		require.Error(t, err)
		return err
	})
	for _, f := range []cloudstacksim.Fault{
		{Kind: cloudstacksim.FaultMalformedJSON, Times: 1},
		{Kind: cloudstacksim.FaultTruncatedBody, Times: 1},
		{Kind: cloudstacksim.FaultDropAfter, Times: 1},
	} {
		name := fmt.Sprintf("hygiene-key-fault-%d", f.Kind)
		sim.InjectFault("createSSHKeyPair", f)
		step("CreateKeyPair with fault", func() error {
			_, err := d.CreateKeyPair(ctx, name)
			require.Error(t, err)
			return err
		})
		// The key pair exists; its private key was in the lost answer. Reading
		// it back does not reveal it (the server keeps none).
		step("GetKeyPair after fault", func() error { _, err := d.GetKeyPair(ctx, name); return err })
	}
	// A deploy whose every answer about the job is malformed: the job result
	// holds the generated password; the wait ends with the last poll's error.
	step("CreateNode with malformed polls", func() error {
		sim.InjectFault("queryAsyncJobResult", cloudstacksim.Fault{Kind: cloudstacksim.FaultMalformedJSON})
		defer sim.ClearFaults()
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		_, err := d.CreateNode(cctx, &compute.CreateNodeRequest{
			Name: "hygiene-vm-2", Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size},
			Location: &compute.Location{ID: zone}, ProviderOptions: &cloudstack.CreateNodeOptions{UserData: userData},
		})
		require.Error(t, err)
		return err
	})
	step("CreateNode with a server error", func() error {
		sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Status: 431, Text: "Unable to deploy", Times: 1})
		_, err := d.CreateNode(ctx, &compute.CreateNodeRequest{
			Name: "hygiene-vm-3", Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size},
			Location: &compute.Location{ID: zone}, ProviderOptions: &cloudstack.CreateNodeOptions{UserData: userData},
		})
		require.Error(t, err)
		return err
	})
	step("wrong secret", func() error {
		o := *opts
		o.Secret = secretKey + "-wrong"
		bad, err := cloudstack.New(&o)
		require.NoError(t, err)
		_, err = bad.ListNodes(ctx)
		require.Error(t, err)
		return err
	})
	step("DestroyNode", func() error { return d.DestroyNode(ctx, node.ID) })

	sigs := rec.signatures()
	require.Greater(t, len(sigs), 20, "the session sent signed requests")
	for _, k := range privKeys {
		secrets = append(secrets, k)
		for _, line := range strings.Split(k, "\n") {
			if len(line) >= 32 && !strings.HasPrefix(line, "-----") {
				secrets = append(secrets, line)
			}
		}
	}
	for _, s := range sigs {
		secrets = append(secrets, s, url.QueryEscape(s))
	}

	haystacks := map[string]string{"logs": logs.String()}
	require.NotEmpty(t, haystacks["logs"], "debug logging was captured")
	require.Contains(t, haystacks["logs"], "deployVirtualMachine", "the logs cover the session")
	require.GreaterOrEqual(t, len(errs), 6, "the error paths ran")
	for i, err := range errs {
		haystacks[fmt.Sprintf("error %d", i)] = fmt.Sprintf("%s\n%v\n%+v\n%#v", err.Error(), err, err, err)
	}
	for i, p := range panics {
		haystacks[fmt.Sprintf("panic %d", i)] = p
	}
	haystacks["printed options"] = fmt.Sprintf("%v %+v %#v %s", opts, *opts, opts, opts)
	haystacks["printed driver"] = fmt.Sprintf("%v %+v %#v", d, d, d)
	for where, text := range haystacks {
		for _, s := range secrets {
			if s == "" {
				continue
			}
			assert.NotContains(t, text, s, "a secret leaked into %s", where)
		}
	}
}

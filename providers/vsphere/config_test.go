package vsphere_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/vsphere"
)

// clearGOVC empties the GOVC_* variables for the test.
func clearGOVC(t *testing.T) {
	for _, k := range []string{vsphere.EnvURL, vsphere.EnvUsername, vsphere.EnvPassword, vsphere.EnvInsecure,
		vsphere.EnvCACerts, vsphere.EnvDatacenter, vsphere.EnvDatastore, vsphere.EnvResourcePool, vsphere.EnvFolder} {
		t.Setenv(k, "")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	clearGOVC(t)
	for what, o := range map[string]*vsphere.Options{
		"no URL":         {Username: "u", Password: "p"},
		"bad scheme":     {URL: "ftp://vc/sdk", Username: "u", Password: "p"},
		"no user":        {URL: "vc.example.com"},
		"missing CA":     {URL: "vc.example.com", Username: "u", Password: "p", CAFile: "/nonexistent/ca.pem"},
		"bad size":       {URL: "vc.example.com", Username: "u", Password: "p", Sizes: []vsphere.Size{{ID: "x"}}},
		"unparsable URL": {URL: "https://u:topsecret@[::1/sdk", Username: "u"},
	} {
		_, err := vsphere.New(o)
		if !errors.Is(err, compute.ErrInvalidArgument) {
			t.Errorf("%s: New gave %v, want ErrInvalidArgument", what, err)
		}
		if err != nil && strings.Contains(err.Error(), "topsecret") {
			t.Errorf("%s: the error reveals the password: %v", what, err)
		}
	}
}

func TestNewDoesNoNetworkIO(t *testing.T) {
	clearGOVC(t)
	// Port 1 on loopback refuses connections: New must not dial it.
	d, err := vsphere.New(&vsphere.Options{URL: "https://127.0.0.1:1/sdk", Username: "u", Password: "p"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	_, err = d.ListLocations(t.Context())
	if !errors.Is(err, compute.ErrUnavailable) {
		t.Fatalf("ListLocations against a closed port: %v, want ErrUnavailable", err)
	}
	if err := d.Close(); err != nil {
		t.Fatalf("Close of a driver that never logged in: %v", err)
	}
}

func TestGOVCEnvironment(t *testing.T) {
	s := newSim(t, nil)
	clearGOVC(t)
	// GOVC_URL carries the credentials, as govc accepts them.
	u := *s.url
	u.User = nil
	t.Setenv(vsphere.EnvURL, strings.Replace(u.String(), "https://", fmt.Sprintf("https://%s:%s@", "administrator%40vsphere.local", simPassword), 1))
	t.Setenv(vsphere.EnvCACerts, s.caFile)
	d, err := vsphere.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if strings.Contains(d.String(), simPassword) || strings.Contains(fmt.Sprintf("%v %+v", d, d), simPassword) {
		t.Errorf("the driver's description reveals the password: %v", d)
	}
	if _, err := d.ListLocations(t.Context()); err != nil {
		t.Fatalf("with GOVC_URL=https://user:pass@...: %v", err)
	}

	// GOVC_USERNAME and GOVC_PASSWORD win over the URL's user information.
	t.Setenv(vsphere.EnvUsername, simUser)
	t.Setenv(vsphere.EnvPassword, "wrong-password")
	d2, err := vsphere.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	_, err = d2.ListLocations(t.Context())
	if !errors.Is(err, compute.ErrPermissionDenied) {
		t.Fatalf("with a wrong GOVC_PASSWORD: %v, want ErrPermissionDenied", err)
	}
	var f *vsphere.Fault
	if !errors.As(err, &f) || f.Name() != "InvalidLogin" {
		t.Errorf("with a wrong GOVC_PASSWORD: %v, want an InvalidLogin *vsphere.Fault", err)
	}
	if strings.Contains(err.Error(), "wrong-password") {
		t.Errorf("the error reveals the password: %v", err)
	}
}

func TestTLSVerificationIsOnByDefault(t *testing.T) {
	s := newSim(t, nil)
	clearGOVC(t)
	base := vsphere.Options{URL: s.url.String(), Username: simUser, Password: simPassword}
	d, err := vsphere.New(&base)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.ListLocations(t.Context()); err == nil {
		t.Fatal("a self-signed certificate was accepted without CAFile, Thumbprint or Insecure")
	}
	// GOVC_INSECURE applies only to a URL taken from GOVC_URL.
	t.Setenv(vsphere.EnvInsecure, "1")
	d, err = vsphere.New(&base)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.ListLocations(t.Context()); err == nil {
		t.Fatal("GOVC_INSECURE turned verification off for a URL set in the options")
	}
	for what, o := range map[string]vsphere.Options{
		"thumbprint": {Thumbprint: s.thumbprint},
		"insecure":   {Insecure: true},
		"CA file":    {CAFile: s.caFile},
	} {
		o.URL, o.Username, o.Password = base.URL, base.Username, base.Password
		d, err := vsphere.New(&o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.ListLocations(t.Context()); err != nil {
			t.Errorf("with a %s: %v", what, err)
		}
		_ = d.Close()
	}
}

func TestFactory(t *testing.T) {
	s := newSim(t, nil)
	clearGOVC(t)
	_, err := vsphere.Factory(compute.Config{URL: s.url.String(), Username: "u", Password: "p", ProviderOptions: 42})
	if !errors.Is(err, compute.ErrInvalidArgument) {
		t.Errorf("Factory with foreign ProviderOptions: %v, want ErrInvalidArgument", err)
	}
	_, err = vsphere.Factory(compute.Config{URL: s.url.String(), Username: "u", Password: "p", Options: map[string]any{"colour": "red"}})
	if !errors.Is(err, compute.ErrInvalidArgument) {
		t.Errorf("Factory with an unknown option: %v, want ErrInvalidArgument", err)
	}
	d, err := vsphere.Factory(compute.Config{
		URL: s.url.String(), Username: simUser, Password: simPassword, CAFile: s.caFile,
		Options: map[string]any{"datacenter": "DC0", "keepalive": "1m"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.(*vsphere.Driver).Close()
	locs, err := d.ListLocations(t.Context())
	if err != nil || len(locs) != 1 || locs[0].Name != "DC0" || locs[0].ID != s.dcID {
		t.Fatalf("ListLocations = %+v, %v; want DC0 (%s)", locs, err, s.dcID)
	}
}

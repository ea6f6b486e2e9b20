package providers_test

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

// providerConstants returns the value of every constant of type Provider
// declared in package types, read from its source, so that a provider added
// there but not registered fails TestProviders_EveryConstantIsRegistered.
func providerConstants(t *testing.T) []types.Provider {
	t.Helper()
	files, err := filepath.Glob("../types/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []types.Provider
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Provider" {
					continue
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok {
						t.Fatalf("a Provider constant is not a literal: %#v", v)
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, types.Provider(s))
				}
			}
		}
	}
	if len(out) < 5 {
		t.Fatalf("found only %d Provider constants: %v", len(out), out)
	}
	return out
}

func TestProviders_EveryConstantIsRegistered(t *testing.T) {
	registered := providers.Providers()
	for _, p := range providerConstants(t) {
		if !slices.Contains(registered, p) {
			t.Errorf("types constant %q is not registered (registered: %v)", p, registered)
		}
		if f, err := providers.GetDriver(p); err != nil || f == nil {
			t.Errorf("GetDriver(%q) = %v, %v", p, f, err)
		}
	}
}

func TestProviders_Sorted(t *testing.T) {
	got := providers.Providers()
	if !slices.IsSorted(got) {
		t.Errorf("Providers() is not sorted: %v", got)
	}
	got[0] = "changed"
	if providers.Providers()[0] == "changed" {
		t.Error("Providers() returns the registry's own slice")
	}
}

func TestGetDriver_CaseInsensitive(t *testing.T) {
	for _, name := range []types.Provider{"DUMMY", " Dummy ", "dummy", "CloudStack", "AuroraCompute", "aurora_compute"} {
		if _, err := providers.GetDriver(name); err != nil {
			t.Errorf("GetDriver(%q): %v", name, err)
		}
	}
	f, err := providers.GetDriver("DuMmY")
	if err != nil {
		t.Fatal(err)
	}
	d, err := f(compute.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := compute.As[*dummy.Driver](d); !ok || d.Provider() != types.ProviderDummy {
		t.Errorf("GetDriver(DuMmY) built %T for %q", d, d.Provider())
	}
}

func TestGetDriver_Unknown(t *testing.T) {
	_, err := providers.GetDriver("openstak")
	if !errors.Is(err, compute.ErrNotFound) {
		t.Fatalf("GetDriver(openstak): %v, want ErrNotFound", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, `"openstak"`) {
		t.Errorf("error %q does not name the provider asked for", msg)
	}
	for _, p := range providers.Providers() {
		if !strings.Contains(msg, string(p)) {
			t.Errorf("error %q does not list %q", msg, p)
		}
	}
}

// fakeFactory builds a dummy driver, standing in for a third-party factory.
func fakeFactory(cfg compute.Config) (compute.Driver, error) { return dummy.New(nil), nil }

func TestRegister(t *testing.T) {
	if err := providers.Register("Registry-Test", fakeFactory); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(providers.Providers(), "registry-test") {
		t.Errorf("registered name missing from %v", providers.Providers())
	}
	if _, err := providers.GetDriver("REGISTRY-TEST"); err != nil {
		t.Errorf("GetDriver of a registered provider: %v", err)
	}
	bad := []struct {
		name types.Provider
		f    compute.Factory
		kind error
	}{
		{"registry-test", fakeFactory, compute.ErrAlreadyExists},
		{"REGISTRY-TEST ", fakeFactory, compute.ErrAlreadyExists},
		{types.ProviderDummy, fakeFactory, compute.ErrAlreadyExists},
		{"CloudStack", fakeFactory, compute.ErrAlreadyExists},
		{"Aurora_Compute", fakeFactory, compute.ErrAlreadyExists},
		{"registry-test-nil", nil, compute.ErrInvalidArgument},
		{"  ", fakeFactory, compute.ErrInvalidArgument},
	}
	for _, b := range bad {
		if err := providers.Register(b.name, b.f); !errors.Is(err, b.kind) {
			t.Errorf("Register(%q): %v, want %v", b.name, err, b.kind)
		}
	}
	if slices.Contains(providers.Providers(), "aurora_compute") {
		t.Error("Providers() lists an alias")
	}
	if slices.Contains(providers.Providers(), "registry-test-nil") {
		t.Error("a failed Register registered its name")
	}
}

func TestRegister_Concurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Go(func() {
			errs[i] = providers.Register(types.Provider(fmt.Sprintf("concurrent-%d", i%8)), fakeFactory)
			_, _ = providers.GetDriver(types.ProviderDummy)
			_ = providers.Providers()
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, compute.ErrAlreadyExists):
			t.Errorf("Register: %v", err)
		}
	}
	if ok != 8 {
		t.Errorf("%d registrations succeeded, want 8 (one per name)", ok)
	}
}

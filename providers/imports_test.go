package providers_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/goclouds/goclouds"

// moduleImports returns the module packages imported by the non-test Go
// files of the directory dir (relative to the module root).
func moduleImports(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if rel, ok := strings.CutPrefix(p, module+"/"); ok && !slices.Contains(out, rel) {
				out = append(out, rel)
			}
		}
	}
	return out
}

// TestImportRules enforces the import rules of docs/design.md §1.
func TestImportRules(t *testing.T) {
	allowed := map[string][]string{
		"types":                {},
		"compute":              {"types"},
		"compute/computetest":  {"compute", "types"},
		"providers/dummy":      {"compute", "types"},
		"providers/cloudstack": nil, // checked below: no registry, no other provider
	}
	for dir, ok := range allowed {
		if ok == nil {
			continue
		}
		for _, imp := range moduleImports(t, dir) {
			if !slices.Contains(ok, imp) {
				t.Errorf("%s imports %s; it may import only %v from the module", dir, imp, ok)
			}
		}
	}
	// Provider packages never import the registry or another provider.
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() || path == "." {
			return err
		}
		if m, _ := filepath.Glob(filepath.Join(path, "*.go")); len(m) == 0 {
			return nil
		}
		slashed := filepath.ToSlash(path)
		provider := strings.SplitN(slashed, "/", 2)[0]
		for _, imp := range moduleImports(t, filepath.Join("providers", path)) {
			// The simulator is an independent oracle: it does not import
			// the driver it checks, nor compute.
			if strings.HasPrefix(slashed, "cloudstack/cloudstacksim") && (imp == "providers/cloudstack" || imp == "compute") {
				t.Errorf("the CloudStack simulator (providers/%s) imports %s", path, imp)
			}
			// providers/internal holds code the providers' simulators share.
			other, isProvider := strings.CutPrefix(imp, "providers/")
			first := strings.SplitN(other, "/", 2)[0]
			if imp == "providers" || (isProvider && first != provider && first != "internal") {
				t.Errorf("providers/%s imports %s", path, imp)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

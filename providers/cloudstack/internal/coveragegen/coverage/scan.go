package coverage

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ScanDriver scans the Go package in dir (its non-test files that build on
// this platform) and returns, for every exported method of the type
// recvType (e.g. "Driver"), the sorted commands the method sends: the
// string literals for which isCommand is true found in the method and in
// everything it reaches. Methods that send nothing map to an empty slice.
func ScanDriver(dir, recvType string, isCommand func(string) bool) (map[string][]string, error) {
	s, err := scanDir(dir, isCommand)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string)
	for key := range s.nodes {
		name, ok := strings.CutPrefix(key, "m:"+recvType+".")
		if !ok || !ast.IsExported(name) {
			continue
		}
		out[name] = s.reach(key)
	}
	return out, nil
}

// ScanCommands returns every command literal in the package in dir (its
// non-test files), sorted, wherever it occurs; compared literals excepted.
func ScanCommands(dir string, isCommand func(string) bool) ([]string, error) {
	s, err := scanDir(dir, isCommand)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, n := range s.nodes {
		for c := range n.commands {
			set[c] = true
		}
	}
	return sortedSet(set), nil
}

// node is a package-level function, method or variable: the commands it
// holds and the other nodes it refers to.
type node struct {
	commands map[string]bool
	refs     map[string]bool
}

// scan is the reference graph of one package. Node keys are "f:Name" for
// functions, "m:Type.Name" for methods and "v:Name" for package-level
// variables and constants.
type scan struct {
	isCommand func(string) bool
	nodes     map[string]*node
	funcs     map[string]bool     // package-level function names
	vars      map[string]bool     // package-level variable and constant names
	methods   map[string][]string // method name -> keys of the methods of that name
}

// scanDir parses the package in dir and builds its reference graph.
func scanDir(dir string, isCommand func(string) bool) (*scan, error) {
	files, err := parseDir(dir)
	if err != nil {
		return nil, err
	}
	s := &scan{isCommand: isCommand, nodes: map[string]*node{}, funcs: map[string]bool{},
		vars: map[string]bool{}, methods: map[string][]string{}}
	for _, f := range files {
		s.declare(f)
	}
	for _, f := range files {
		s.fill(f)
	}
	return s, nil
}

// parseDir parses the non-test files of the package in dir that build on
// this platform, sorted by name.
func parseDir(dir string) ([]*ast.File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	pkg := ""
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, name); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("coverage: %w", err)
		}
		if pkg == "" {
			pkg = f.Name.Name
		} else if f.Name.Name != pkg {
			return nil, fmt.Errorf("coverage: %s: package %s, want %s", name, f.Name.Name, pkg)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("coverage: no Go files in %s", dir)
	}
	return files, nil
}

// funcKey returns the node key of a function or method declaration.
func funcKey(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return "f:" + fd.Name.Name
	}
	return "m:" + baseTypeName(fd.Recv.List[0].Type) + "." + fd.Name.Name
}

// baseTypeName returns T for T, *T, T[P] and *T[P].
func baseTypeName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// declare adds the file's package-level declarations to the graph.
func (s *scan) declare(f *ast.File) {
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			key := funcKey(d)
			s.nodes[key] = &node{commands: map[string]bool{}, refs: map[string]bool{}}
			if d.Recv == nil {
				s.funcs[d.Name.Name] = true
			} else {
				s.methods[d.Name.Name] = append(s.methods[d.Name.Name], key)
			}
		case *ast.GenDecl:
			if d.Tok != token.VAR && d.Tok != token.CONST {
				continue
			}
			for _, spec := range d.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					s.vars[name.Name] = true
					s.nodes["v:"+name.Name] = &node{commands: map[string]bool{}, refs: map[string]bool{}}
				}
			}
		}
	}
}

// fill records the commands and references of the file's declarations.
func (s *scan) fill(f *ast.File) {
	imports := map[string]bool{}
	for _, im := range f.Imports {
		path, _ := strconv.Unquote(im.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		imports[name] = true
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Body == nil {
				continue
			}
			s.walk(s.nodes[funcKey(d)], d, imports, typedIdents(d))
		case *ast.GenDecl:
			if d.Tok != token.VAR && d.Tok != token.CONST {
				continue
			}
			for _, spec := range d.Specs {
				vs := spec.(*ast.ValueSpec)
				for _, name := range vs.Names {
					n := s.nodes["v:"+name.Name]
					for _, v := range vs.Values {
						s.walk(n, v, imports, nil)
					}
				}
			}
		}
	}
}

// typedIdents maps the receiver and parameter names of fd to the base name
// of their type, so that d.method(...) resolves to the method of d's type.
func typedIdents(fd *ast.FuncDecl) map[string]string {
	m := map[string]string{}
	add := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, field := range fl.List {
			t := baseTypeName(field.Type)
			for _, name := range field.Names {
				if t != "" {
					m[name.Name] = t
				}
			}
		}
	}
	add(fd.Recv)
	add(fd.Type.Params)
	return m
}

// walk adds to n the commands and references found in root.
func (s *scan) walk(n *node, root ast.Node, imports map[string]bool, typed map[string]string) {
	compared := map[*ast.BasicLit]bool{}
	selected := map[*ast.Ident]bool{}
	ast.Inspect(root, func(x ast.Node) bool {
		switch e := x.(type) {
		case *ast.BinaryExpr:
			if e.Op == token.EQL || e.Op == token.NEQ {
				for _, side := range []ast.Expr{e.X, e.Y} {
					if lit, ok := ast.Unparen(side).(*ast.BasicLit); ok {
						compared[lit] = true
					}
				}
			}
		case *ast.CaseClause:
			for _, v := range e.List {
				if lit, ok := ast.Unparen(v).(*ast.BasicLit); ok {
					compared[lit] = true
				}
			}
		case *ast.SelectorExpr:
			selected[e.Sel] = true
		}
		return true
	})
	ast.Inspect(root, func(x ast.Node) bool {
		switch e := x.(type) {
		case *ast.BasicLit:
			if e.Kind != token.STRING || compared[e] {
				return true
			}
			if v, err := strconv.Unquote(e.Value); err == nil && s.isCommand(v) {
				n.commands[v] = true
			}
		case *ast.Ident:
			if selected[e] {
				return true
			}
			if s.funcs[e.Name] {
				n.refs["f:"+e.Name] = true
			}
			if s.vars[e.Name] {
				n.refs["v:"+e.Name] = true
			}
		case *ast.SelectorExpr:
			s.selector(n, e, imports, typed)
		}
		return true
	})
}

// selector records the method a selector expression may name: the method
// of the operand's type when the operand is a receiver or parameter of a
// package type, nothing for a package-qualified name, else every method of
// the package with that name.
func (s *scan) selector(n *node, e *ast.SelectorExpr, imports map[string]bool, typed map[string]string) {
	keys := s.methods[e.Sel.Name]
	if len(keys) == 0 {
		return
	}
	if id, ok := e.X.(*ast.Ident); ok {
		if t, ok := typed[id.Name]; ok {
			if key := "m:" + t + "." + e.Sel.Name; s.nodes[key] != nil {
				n.refs[key] = true
				return
			}
		} else if imports[id.Name] && !s.vars[id.Name] && !s.funcs[id.Name] {
			return
		}
	}
	for _, key := range keys {
		n.refs[key] = true
	}
}

// reach returns the sorted commands of key and of every node it reaches.
func (s *scan) reach(key string) []string {
	seen := map[string]bool{}
	cmds := map[string]bool{}
	stack := []string{key}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[k] {
			continue
		}
		seen[k] = true
		n := s.nodes[k]
		if n == nil {
			continue
		}
		for c := range n.commands {
			cmds[c] = true
		}
		for r := range n.refs {
			stack = append(stack, r)
		}
	}
	return sortedSet(cmds)
}

// sortedSet returns the members of set, sorted; never nil.
func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

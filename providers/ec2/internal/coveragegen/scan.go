package main

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// sdkReceivers are the last names of the expressions the driver calls the
// SDK client through: d.client.X, d.Client().X, c.api.X.
var sdkReceivers = []string{"client", "Client", "api"}

// helpers are the functions of other packages the driver hands itself to,
// with the *Driver methods they call on it. The scan fails on a call that
// passes the receiver to a function missing here, so none goes unseen.
var helpers = map[string][]string{
	"compute.EnsureSSHKeyPair": {"ListKeyPairs", "ImportKeyPair"},
}

// scanDriver parses the non-test Go files of the package in dir and
// returns, for every exported method of *Driver that calls the SDK, the
// sorted EC2 operations it may call, directly or through the package's
// functions and methods it reaches. isOp reports whether a name is an
// operation of the model. An operation is called as
// <receiver>.Op(...) with a receiver in sdkReceivers, or paged through
// ec2.NewOpPaginator.
func scanDriver(dir string, isOp func(string) bool) (map[string][]string, error) {
	pkg, err := build.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	decls := map[string]*ast.FuncDecl{} // "Name" or "Type.Name"
	methods := map[string][]string{}    // method name -> keys
	imports := map[*ast.FuncDecl]map[string]bool{}
	for _, name := range pkg.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			return nil, err
		}
		names := map[string]bool{}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			name := filepath.Base(path)
			if im.Name != nil {
				name = im.Name.Name
			}
			names[name] = true
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			imports[fd] = names
			key := fd.Name.Name
			if fd.Recv != nil && len(fd.Recv.List) == 1 {
				key = recvName(fd.Recv.List[0].Type) + "." + key
				methods[fd.Name.Name] = append(methods[fd.Name.Name], key)
			}
			decls[key] = fd
		}
	}
	ops := map[string][]string{}
	refs := map[string][]string{}
	for key, fd := range decls {
		recv := ""
		if fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
			recv = fd.Recv.List[0].Names[0].Name
		}
		var unknown error
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if op := sdkCall(x.Fun, isOp); op != "" {
					ops[key] = append(ops[key], op)
				}
				if fn := foreignCall(x, recv, imports[fd]); fn != "" {
					called, ok := helpers[fn]
					if !ok && unknown == nil {
						unknown = fmt.Errorf("%s: %s passes the driver to %s: add the methods it calls to helpers", fset.Position(x.Pos()), key, fn)
					}
					for _, m := range called {
						refs[key] = append(refs[key], "Driver."+m)
					}
				}
			case *ast.SelectorExpr:
				refs[key] = append(refs[key], methods[x.Sel.Name]...)
			case *ast.Ident:
				if decls[x.Name] != nil && decls[x.Name].Recv == nil {
					refs[key] = append(refs[key], x.Name)
				}
			}
			return true
		})
		if unknown != nil {
			return nil, unknown
		}
	}
	out := map[string][]string{}
	for key := range decls {
		name, ok := strings.CutPrefix(key, "Driver.")
		if !ok || !ast.IsExported(name) {
			continue
		}
		if reached := reach(key, ops, refs); len(reached) > 0 {
			out[name] = reached
		}
	}
	return out, nil
}

// sdkCall returns the operation a call of fun makes, or "".
func sdkCall(fun ast.Expr, isOp func(string) bool) string {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if op, ok := strings.CutPrefix(sel.Sel.Name, "New"); ok {
		if op, ok = strings.CutSuffix(op, "Paginator"); ok && isOp(op) {
			return op
		}
	}
	if !isOp(sel.Sel.Name) {
		return ""
	}
	recv := sel.X
	if c, ok := recv.(*ast.CallExpr); ok {
		recv = c.Fun
	}
	var last string
	switch r := recv.(type) {
	case *ast.Ident:
		last = r.Name
	case *ast.SelectorExpr:
		last = r.Sel.Name
	}
	if slices.Contains(sdkReceivers, last) {
		return sel.Sel.Name
	}
	return ""
}

// foreignCall returns "pkg.Func" when call is a call of an imported
// package's function with recv (the method's receiver) among its
// arguments, else "".
func foreignCall(call *ast.CallExpr, recv string, imports map[string]bool) string {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || recv == "" {
		return ""
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok || !imports[pkg.Name] {
		return ""
	}
	for _, a := range call.Args {
		if id, ok := a.(*ast.Ident); ok && id.Name == recv {
			return pkg.Name + "." + sel.Sel.Name
		}
	}
	return ""
}

// recvName is the type name of a method receiver (*Driver -> Driver).
func recvName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return recvName(t.X)
	}
	return ""
}

// reach returns the sorted operations of key and of every declaration it
// reaches through refs.
func reach(key string, ops, refs map[string][]string) []string {
	seen := map[string]bool{key: true}
	set := map[string]bool{}
	stack := []string{key}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, op := range ops[k] {
			set[op] = true
		}
		for _, r := range refs[k] {
			if !seen[r] {
				seen[r] = true
				stack = append(stack, r)
			}
		}
	}
	out := make([]string, 0, len(set))
	for op := range set {
		out = append(out, op)
	}
	slices.Sort(out)
	return out
}

package errcodes_test

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/errcodes"
)

const modulePath = "github.com/kumbara/kumbara"

// declFile is where a package declares its errors.
const declFile = "errors.go"

// lastKind is the last of the kinds package kumbara declares.
const lastKind = kumbara.KindUpgradeRequired

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

func TestEveryCodeIsDeclaredOnce(t *testing.T) {
	owner := map[string]string{} // code → package
	packages := map[string]bool{}
	claim := func(pkg, code string) {
		if !codePattern.MatchString(code) {
			t.Errorf("%s: code %q is not lower_snake_case", pkg, code)
		}
		if other, dup := owner[code]; dup {
			t.Errorf("code %q is owned by %s and by %s", code, other, pkg)
		}
		owner[code] = pkg
	}
	for _, o := range errcodes.Owners() {
		if packages[o.Package] {
			t.Errorf("%s is listed twice", o.Package)
		}
		packages[o.Package] = true
		if len(o.Errors) == 0 {
			t.Errorf("%s declares no error; it does not belong in Owners", o.Package)
		}
		for _, e := range o.Errors {
			if e == nil {
				t.Errorf("%s lists a nil error", o.Package)
				continue
			}
			claim(o.Package, e.Code)
			if e.Kind < kumbara.KindInternal || e.Kind > lastKind {
				t.Errorf("%s: %s has no known kind (%d)", o.Package, e.Code, e.Kind)
			}
			if e.Detail != "" || e.Err != nil || e.Params != nil {
				t.Errorf("%s: %s is declared with a detail, cause or parameters; those belong to instances", o.Package, e.Code)
			}
		}
	}
}

func TestEveryPackageThatDeclaresErrorsIsInTheRegistry(t *testing.T) {
	tree := parseModule(t)
	owners := map[string]bool{}
	for _, o := range errcodes.Owners() {
		owners[o.Package] = true
		p := tree[o.Package]
		if p == nil || p.files[declFile] == nil || p.errorsFunc() == nil {
			t.Errorf("%s is in Owners but has no %s with func Errors", o.Package, declFile)
		}
	}
	for dir, p := range tree {
		if !owners[dir] && p.files[declFile] != nil && p.errorsFunc() != nil {
			t.Errorf("%s declares its errors in %s but is not in errcodes.Owners", dir, declFile)
		}
	}
}

func TestEverySentinelIsInItsPackagesList(t *testing.T) {
	tree := parseModule(t)
	for _, o := range errcodes.Owners() {
		p := tree[o.Package]
		if p == nil || p.files[declFile] == nil {
			continue // TestEveryPackageThatDeclaresErrorsIsInTheRegistry says so
		}
		for _, problem := range p.listProblems() {
			t.Error(problem)
		}
		if n := len(p.listed()); n != len(o.Errors) {
			t.Errorf("%s: Errors() names %d errors and returns %d", o.Package, n, len(o.Errors))
		}
	}
}

// listProblems compares the variables of errors.go with the names Errors() lists.
func (p *pkg) listProblems() []string {
	var problems []string
	declared, listed := p.sentinels(), p.listed()
	for _, name := range declared {
		if !slices.Contains(listed, name) {
			problems = append(problems, fmt.Sprintf("%s/%s declares %s but its Errors() does not list it", p.dir, declFile, name))
		}
	}
	seen := map[string]bool{}
	for _, name := range listed {
		if !slices.Contains(declared, name) {
			problems = append(problems, fmt.Sprintf("%s: Errors() lists %s, which is not a variable of %s", p.dir, name, declFile))
		}
		if seen[name] {
			problems = append(problems, fmt.Sprintf("%s: Errors() lists %s twice", p.dir, name))
		}
		seen[name] = true
	}
	return problems
}

// TestErrorsAreMadeOnlyInTheirOwnersErrorsGo keeps the codes with their owners: outside a package's errors.go no
// code is declared, no error or field error is made from a code written in place, and no code is matched by its
// text (errors.Is with the owner's sentinel does that).
func TestErrorsAreMadeOnlyInTheirOwnersErrorsGo(t *testing.T) {
	tree := parseModule(t)
	var dirs []string
	for dir := range tree {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		for _, v := range check(tree[dir]) {
			t.Error(v)
		}
	}
}

// check returns the places in p that make or match an error outside the owner's errors.go.
func check(p *pkg) []string {
	c := checker{pkg: p}
	for _, name := range p.names() {
		c.file(name)
	}
	return c.violations
}

// pkg is the non-test source of one package directory.
type pkg struct {
	dir   string // relative to the module root; "." for the root
	fset  *token.FileSet
	files map[string]*ast.File // by file name
}

func (p *pkg) names() []string {
	names := make([]string, 0, len(p.files))
	for n := range p.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (p *pkg) errorsFunc() *ast.FuncDecl {
	for _, d := range p.files[declFile].Decls {
		if f, ok := d.(*ast.FuncDecl); ok && f.Recv == nil && f.Name.Name == "Errors" {
			return f
		}
	}
	return nil
}

// sentinels are the package-level variables of errors.go: every one is an error of the package.
func (p *pkg) sentinels() []string {
	var names []string
	for _, d := range p.files[declFile].Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				names = append(names, n.Name)
			}
		}
	}
	return names
}

// listed are the names in the slice Errors() returns.
func (p *pkg) listed() []string {
	var names []string
	f := p.errorsFunc()
	if f == nil {
		return nil
	}
	ast.Inspect(f.Body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.CompositeLit); ok {
			for _, e := range lit.Elts {
				if id, ok := e.(*ast.Ident); ok {
					names = append(names, id.Name)
				}
			}
			return false
		}
		return true
	})
	return names
}

// parseModule parses the non-test Go files of every package of the module, by directory.
func parseModule(t *testing.T) map[string]*pkg {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.Contains(string(b), "module "+modulePath+"\n") {
		t.Fatalf("%s is not the module root: %v", root, err)
	}
	fset := token.NewFileSet()
	tree := map[string]*pkg{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") ||
				strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		dir := filepath.Dir(path)
		if ok, err := build.Default.MatchFile(dir, name); err != nil || !ok {
			return err // a file for another platform, or a generator (//go:build ignore)
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if tree[rel] == nil {
			tree[rel] = &pkg{dir: rel, fset: fset, files: map[string]*ast.File{}}
		}
		tree[rel].files[name] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// checker finds, in one package, errors made or matched outside the owner's errors.go.
type checker struct {
	pkg        *pkg
	violations []string

	name    string // of the file being checked
	kumbara string // the name the file gives the root package; "" in the root package itself
}

func (c *checker) file(name string) {
	f := c.pkg.files[name]
	c.name, c.kumbara = name, ""
	if c.pkg.dir == "." {
		if name == "kumbara.go" {
			return // the implementation of kumbara.Error itself
		}
	} else {
		c.kumbara = importName(f, modulePath)
		if c.kumbara == "" {
			return // it cannot make a kumbara.Error
		}
	}
	helpers := c.helpers()
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			c.call(n, helpers)
		case *ast.CompositeLit:
			c.composite(n)
		case *ast.StarExpr:
			if isSentinel(n.X) {
				c.report(n, "a sentinel copied by dereferencing it, a second error with its code (use its methods, which copy)")
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				c.comparison(n.X, n.Y)
				c.comparison(n.Y, n.X)
			}
		case *ast.SwitchStmt:
			if n.Tag != nil && c.isCode(n.Tag) {
				for _, s := range n.Body.List {
					for _, e := range s.(*ast.CaseClause).List {
						c.matchedLiteral(e)
					}
				}
			}
		}
		return true
	})
}

// helpers are the functions of the package's errors.go other than Errors: they make its sentinels, so only
// errors.go may call them.
func (c *checker) helpers() map[string]bool {
	h := map[string]bool{}
	f := c.pkg.files[declFile]
	if f == nil || c.name == declFile {
		return h
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name != "Errors" {
			h[fn.Name.Name] = true
		}
	}
	return h
}

func (c *checker) report(n ast.Node, format string, args ...any) {
	pos := c.pkg.fset.Position(n.Pos())
	where := filepath.ToSlash(filepath.Join(c.pkg.dir, c.name)) + ":" + strconv.Itoa(pos.Line)
	c.violations = append(c.violations, where+": "+fmt.Sprintf(format, args...)+
		" (declare the code once in its owner's errors.go; match it with errors.Is)")
}

// root reports whether e names the root package's identifier name (kumbara.name, or name inside the root).
func (c *checker) root(e ast.Expr, name string) bool {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && c.kumbara != "" && x.Name == c.kumbara && e.Sel.Name == name
	case *ast.Ident:
		return c.kumbara == "" && e.Name == name
	}
	return false
}

func (c *checker) call(n *ast.CallExpr, helpers map[string]bool) {
	switch {
	case c.root(n.Fun, "NewError"):
		if c.name != declFile {
			c.report(n, "NewError outside %s", declFile)
		}
	case c.root(n.Fun, "Errorf") && len(n.Args) > 1:
		c.report(n, "kumbara.Errorf makes an error in place")
	case c.root(n.Fun, "Invalid") && len(n.Args) > 0:
		c.report(n, "kumbara.Invalid makes an error in place")
	}
	if id, ok := n.Fun.(*ast.Ident); ok && helpers[id.Name] {
		c.report(n, "%s of %s called outside it", id.Name, declFile)
	}
	if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
		if x, ok := sel.X.(*ast.Ident); ok && x.Name == "strings" {
			for _, a := range n.Args {
				if c.isCode(a) {
					c.report(n, "strings.%s on a code", sel.Sel.Name)
				}
			}
		}
	}
}

// composite checks a kumbara.Error or kumbara.FieldError written as a literal, also as the elided elements of a
// slice, array or map of them.
func (c *checker) composite(n *ast.CompositeLit) {
	if c.isErrorType(n.Type) {
		c.literal(n)
		return
	}
	var elt ast.Expr
	switch t := n.Type.(type) {
	case *ast.ArrayType:
		elt = t.Elt
	case *ast.MapType:
		elt = t.Value
	}
	if elt == nil || !c.isErrorType(elt) {
		return
	}
	for _, e := range n.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			e = kv.Value
		}
		if u, ok := e.(*ast.UnaryExpr); ok {
			e = u.X
		}
		if lit, ok := e.(*ast.CompositeLit); ok && lit.Type == nil {
			c.literal(lit)
		}
	}
}

func (c *checker) isErrorType(e ast.Expr) bool {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	return c.root(e, "Error") || c.root(e, "FieldError")
}

// literal reports an error or field error written as a literal.
func (c *checker) literal(n *ast.CompositeLit) {
	c.report(n, "an error or field error written as a literal")
}

// isCode reports whether e is a code: kumbara.CodeOf(…) or a field named Code.
func (c *checker) isCode(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.CallExpr:
		return c.root(e.Fun, "CodeOf")
	case *ast.SelectorExpr:
		return e.Sel.Name == "Code"
	}
	return false
}

func (c *checker) comparison(code, other ast.Expr) {
	if c.isCode(code) {
		c.matchedLiteral(other)
	}
}

// matchedLiteral reports a code compared with anything but the empty string (whether there is a code at all): a
// constant holding the text is no better than the text. A field named Code
// compared with nil is no code but something else of that name (a login's code step), which a string cannot be.
func (c *checker) matchedLiteral(e ast.Expr) {
	if lit, ok := e.(*ast.BasicLit); ok && lit.Value == `""` {
		return
	}
	if id, ok := e.(*ast.Ident); ok && id.Name == "nil" {
		return
	}
	c.report(e, "a code matched by its text")
}

// sentinelName is how a sentinel error is named: ErrX (the type Error does not match).
var sentinelName = regexp.MustCompile(`^Err[A-Z]`)

// isSentinel reports whether e names a sentinel, ErrX or pkg.ErrX.
func isSentinel(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		_, ok := e.X.(*ast.Ident)
		return ok && sentinelName.MatchString(e.Sel.Name)
	case *ast.Ident:
		return sentinelName.MatchString(e.Name)
	}
	return false
}

// importName is the name a file gives the package at path, or "" if it does not import it.
func importName(f *ast.File, path string) string {
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == path {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return path[strings.LastIndex(path, "/")+1:]
		}
	}
	return ""
}

// The checks themselves, on a package written to break every rule once per line marked "want".

const sampleErrors = `package sample

import "github.com/kumbara/kumbara"

var (
	ErrListed   = invalid(codeListed)
	ErrUnlisted = kumbara.NewError(kumbara.KindInvalid, "sample_unlisted")
)

const codeListed = "sample_listed"

func invalid(code string) *kumbara.Error { return kumbara.NewError(kumbara.KindInvalid, code) }

func Errors() []*kumbara.Error { return []*kumbara.Error{ErrListed, ErrListed, ErrGone} }
`

const sampleCode = `package sample

import (
	"errors"
	"strings"

	k "github.com/kumbara/kumbara"
)

func refuse(err error) error {
	if k.CodeOf(err) == "insufficient_funds" { // want
	}
	if "account_closed" != k.CodeOf(err) { // want
	}
	switch k.CodeOf(err) {
	case "account_blocked": // want
	case "": 
	}
	if strings.HasPrefix(k.CodeOf(err), "account_") { // want
	}
	if e, ok := k.As(err); ok && e.Code == "sample_listed" { // want
	}
	if e, ok := k.As(err); ok && e.Code == codeListed { // want
	}
	_ = k.FieldError{Field: "amount", Code: "invalid"} // want
	_ = []k.FieldError{{Field: "amount", Code: "invalid"}} // want
	_ = map[string]*k.Error{"a": {Code: "sample_listed"}} // want
	_ = k.NewError(k.KindInvalid, "sample_new") // want
	_ = k.Invalid("sample_listed") // want
	_ = k.Errorf(k.KindInvalid, "sample_listed", "detail") // want
	_ = &k.Error{Kind: k.KindInvalid, Code: "sample_listed"} // want
	_ = invalid("sample_helper") // want
	gone := *ErrListed // want
	gone.Kind = k.KindNotFound

	// What the rules allow: sentinels and their instances, errors.Is, reading a code, and a code whose owner
	// does not declare it yet.
	_ = ErrListed.With("detail %d", 1).Wrap(err)
	_ = ErrListed.WithKind(k.KindNotFound)
	var _ *k.Error
	_ = k.ErrValidationFailed.WithFields(k.ErrFieldRequired.At("name"), ErrListed.At("amount"))
	_ = errors.Is(err, ErrListed)
	_ = "sample_" + k.CodeOf(err)
	if e, ok := k.As(err); ok && e.Code != "" {
	}
	var step struct{ Code *struct{} }
	if step.Code != nil {
	}
	if k.CodeOf(err) == "login_failed" { // want
	}
	_ = &k.Error{Kind: k.KindUnauthorized, Code: "login_failed"} // want
	_ = k.Errorf(k.KindUnauthorized, "login_failed", "detail")  // want
	return nil
}
`

func samplePackage(t *testing.T) *pkg {
	t.Helper()
	p := &pkg{dir: "sample", fset: token.NewFileSet(), files: map[string]*ast.File{}}
	for name, src := range map[string]string{declFile: sampleErrors, "sample.go": sampleCode} {
		f, err := parser.ParseFile(p.fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		p.files[name] = f
	}
	return p
}

func TestTheChecksFindEveryErrorMadeOrMatchedInPlace(t *testing.T) {
	p := samplePackage(t)
	var want []string
	for i, line := range strings.Split(sampleCode, "\n") {
		if strings.HasSuffix(line, "// want") {
			want = append(want, "sample/sample.go:"+strconv.Itoa(i+1))
		}
	}
	var got []string
	for _, v := range check(p) {
		got = append(got, v[:strings.Index(v, ": ")])
	}
	if !slices.Equal(got, want) {
		t.Errorf("violations at\n%v\nwant\n%v\nall: %q", got, want, check(p))
	}
}

func TestTheChecksFindASentinelMissingFromItsList(t *testing.T) {
	got := samplePackage(t).listProblems()
	want := []string{
		"sample/errors.go declares ErrUnlisted but its Errors() does not list it",
		"sample: Errors() lists ErrListed twice",
		"sample: Errors() lists ErrGone, which is not a variable of errors.go",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("problems\n%q\nwant\n%q", got, want)
	}
}

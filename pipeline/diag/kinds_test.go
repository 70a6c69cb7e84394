package diag

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// messageKinds finds, in the source of the packages under roots, every
// message and hint an author can be shown: the Msg and Hint of a
// diag.Error, and the arguments named msg, hint or format of the
// functions that make one (diag.At, diag.Errorf, and helpers such as a
// parser's errorf). A kind is a format ("unknown field %q"): a plain
// string has its % doubled, and a concatenation holds %s for each part
// that is not a literal. It returns each kind with where it was found.
func messageKinds(t *testing.T, roots ...string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	kinds := map[string]string{}
	// the parameters of every package's functions, by directory: a helper
	// such as a parser's errorf is called from the package's other files
	pkgParams := map[string]map[string][]string{}
	for _, root := range roots {
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				return nil
			}
			dir := filepath.Dir(p)
			if pkgParams[dir] == nil {
				pkgParams[dir] = map[string][]string{}
			}
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && (fd.Recv == nil || fd.Name.Name != "Error") {
					pkgParams[dir][fd.Name.Name] = paramNames(fd.Type)
				}
			}
			return nil
		})
	}
	for _, root := range roots {
		err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			if info.IsDir() && (info.Name() == "progress" || info.Name() == "miniotest" || info.Name() == "storetest") {
				return filepath.SkipDir // progress lines, and test harnesses: not messages to users
			}
			if info.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				return err
			}
			// the parameters of this file's functions and closures, by name
			params := map[string][]string{"At": {"file", "line", "msg", "hint"}, "Errorf": {"file", "line", "format"}}
			for name, ps := range pkgParams[filepath.Dir(p)] {
				params[name] = ps
			}
			names := paramNames
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.FuncDecl:
					if x.Recv == nil || x.Name.Name != "Error" {
						params[x.Name.Name] = names(x.Type)
					}
				case *ast.AssignStmt:
					for i, r := range x.Rhs {
						if fl, ok := r.(*ast.FuncLit); ok && i < len(x.Lhs) {
							if id, ok := x.Lhs[i].(*ast.Ident); ok {
								params[id.Name] = names(fl.Type)
							}
						}
					}
				}
				return true
			})
			if strings.HasSuffix(filepath.Dir(p), "diag") {
				return nil // diag's own helpers pass their arguments on
			}
			add := func(e ast.Expr, isFormat bool) {
				if s, ok := kindOf(e, isFormat); ok && strings.TrimSpace(strings.ReplaceAll(s, "%s", "")) != "" {
					if _, seen := kinds[s]; !seen {
						kinds[s] = fset.Position(e.Pos()).String()
					}
				}
			}
			// the results named msg or hint of functions that return them
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Type.Results == nil || fd.Body == nil {
					continue
				}
				var results []string
				for _, fld := range fd.Type.Results.List {
					for _, n := range fld.Names {
						results = append(results, n.Name)
					}
					if len(fld.Names) == 0 {
						results = append(results, "_")
					}
				}
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if _, lit := n.(*ast.FuncLit); lit {
						return false
					}
					if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == len(results) {
						for i, e := range r.Results {
							if results[i] == "msg" || results[i] == "hint" {
								add(e, false)
							}
						}
					}
					return true
				})
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.KeyValueExpr:
					if id, ok := x.Key.(*ast.Ident); ok && (id.Name == "Msg" || id.Name == "Hint" || id.Name == "msg" || id.Name == "hint") {
						add(x.Value, false)
					}
				case *ast.AssignStmt:
					for i, l := range x.Lhs {
						if i >= len(x.Rhs) {
							break
						}
						switch l := l.(type) {
						case *ast.SelectorExpr:
							if l.Sel.Name == "Msg" || l.Sel.Name == "Hint" {
								add(x.Rhs[i], false)
							}
						case *ast.Ident:
							if l.Name == "msg" || l.Name == "hint" {
								add(x.Rhs[i], false)
							}
						}
					}
				case *ast.CallExpr:
					var name string
					switch fn := x.Fun.(type) {
					case *ast.SelectorExpr:
						name = fn.Sel.Name
						if id, ok := fn.X.(*ast.Ident); ok && (id.Name == "fmt" && name == "Errorf" || id.Name == "errors" && name == "New") {
							// the errors commands print: messages too
							if len(x.Args) > 0 {
								add(x.Args[0], name == "Errorf")
							}
							return true
						}
						if id, ok := fn.X.(*ast.Ident); ok && id.Name != "diag" && (name == "At" || name == "Errorf") {
							return true
						}
					case *ast.Ident:
						name = fn.Name
					}
					if name == "say" {
						return true // a command's report of what it did, not a message
					}
					ps := params[name]
					for i, a := range x.Args {
						if i < len(ps) {
							switch ps[i] {
							case "msg", "hint":
								add(a, false)
							case "format":
								add(a, true)
							}
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return kinds
}

// kindOf is the format of a message expression: a literal, a
// fmt.Sprintf, or a concatenation; false when it holds no literal.
func kindOf(e ast.Expr, isFormat bool) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			s, err := strconv.Unquote(x.Value)
			if !isFormat {
				s = strings.ReplaceAll(s, "%", "%%")
			}
			return s, err == nil
		}
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(x.Args) > 0 {
			return kindOf(x.Args[0], true)
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			a, ok1 := kindOf(x.X, isFormat)
			b, ok2 := kindOf(x.Y, isFormat)
			if !ok1 {
				a = "%s"
			}
			if !ok2 {
				b = "%s"
			}
			return a + b, ok1 || ok2
		}
	case *ast.ParenExpr:
		return kindOf(x.X, isFormat)
	}
	return "", false
}

// TestEveryMessageHasChinese: every message and hint kind found in the
// source has a Chinese translation with the same values, and the
// catalogue holds no kind the source no longer has.
func TestEveryMessageHasChinese(t *testing.T) {
	kinds := messageKinds(t, "../../pipeline", "../../cmd")
	var list []string
	for k := range kinds {
		list = append(list, k)
	}
	sort.Strings(list)
	missing := 0
	for _, k := range list {
		zh, ok := zhMessages[k]
		if !ok {
			missing++
			t.Errorf("%s: no Chinese for %q", kinds[k], k)
			continue
		}
		if err := sameVerbs(k, zh); err != nil {
			t.Errorf("%s: %q / %q: %v", kinds[k], k, zh, err)
		}
		if !hasHan(zh) && hasWords(k) {
			t.Errorf("%s: the Chinese of %q is not Chinese: %q", kinds[k], k, zh)
		}
	}
	for k := range zhMessages {
		if _, ok := kinds[k]; !ok && !extraKinds[k] {
			t.Errorf("the catalogue has %q, which no message uses", k)
		}
	}
	if len(list) < 200 {
		t.Errorf("only %d message kinds found: the extraction lost some", len(list))
	}
	t.Logf("%d message kinds, %d without Chinese", len(list), missing)
}

// extraKinds are catalogue entries for messages composed at run time
// that the source scan cannot see whole.
var extraKinds = map[string]bool{
	// what aceo says when interrupted (main translates it itself)
	"interrupted: nothing half-written was kept": true,
	// the figure package's usual hint, a constant
	"export the figure as PNG (or JPEG for photographs) at 300 dpi at its printed size": true,
	// a dataset's year range, built from its constants
	"write a year from %d to %d": true,
	// how a List and an Error print, and what submit counts
	"%d problems, the first: %s": true,
	"%s:%d: %s; %s":              true,
	"%s:%d: %s":                  true,
	"%s; %s":                     true,
	"files":                      true,
	"datasets":                   true,
	// what a missing label should be put on, a value of messages
	"table caption": true,
	"table":         true,
	"figure":        true,
	"heading":       true,
	// an error a dataset table returns, shown as the message
	"dataset %s has no indicator %q": true,
	// a hint a figure reader returns with its error
	"put the image under figures/ in the publication directory (PNG or JPEG)": true,
	// the commonest messages of the YAML parser, after "YAML: "
	"did not find expected ',' or '}'":                       true,
	"did not find expected ',' or ']'":                       true,
	"did not find expected key":                              true,
	"did not find expected node content":                     true,
	"did not find expected '-' indicator":                    true,
	"could not find expected ':'":                            true,
	"mapping values are not allowed in this context":         true,
	"found character that cannot start any token":            true,
	"found a tab character that violates indentation":        true,
	"found unexpected end of stream":                         true,
	"block sequence entries are not allowed in this context": true,
}

// paramNames lists the names of a function's parameters ("_" for an
// unnamed one).
func paramNames(ft *ast.FuncType) []string {
	var out []string
	for _, fld := range ft.Params.List {
		for _, n := range fld.Names {
			out = append(out, n.Name)
		}
		if len(fld.Names) == 0 {
			out = append(out, "_")
		}
	}
	return out
}

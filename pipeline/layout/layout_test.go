package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPrefixesOnlyHere: no source file outside this package spells a
// store prefix ("drafts/...", "published/..."); they use layout's names.
// Tests and the test-support packages (storetest, miniotest) may, to
// write the keys they check.
func TestPrefixesOnlyHere(t *testing.T) {
	fset := token.NewFileSet()
	found := 0
	for _, root := range []string{"../../pipeline", "../../cmd"} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "layout" || d.Name() == "testdata" || strings.HasSuffix(d.Name(), "test")) {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			found++
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					return true
				}
				for _, p := range Top {
					if strings.HasPrefix(s, p) {
						t.Errorf("%s: %q spells the store prefix %q; use pipeline/layout", fset.Position(lit.Pos()), s, p)
					}
				}
				return true
			})
			return nil
		})
	}
	if found < 50 {
		t.Fatalf("only %d source files read", found)
	}
}

func TestGrant(t *testing.T) {
	w, r, err := Grant(RoleAuthor, "aceo-sample")
	if err != nil || len(w) != 1 || w[0] != "drafts/aceo-sample/" || len(r) != 2 || r[1] != "config/aceo-sample/" {
		t.Errorf("author: %v %v %v", w, r, err)
	}
	for _, pub := range []string{"", "../x", "a/b"} {
		if _, _, err := Grant(RoleAuthor, pub); err == nil {
			t.Errorf("author of %q granted", pub)
		}
	}
	if w, _, err := Grant(RoleEditor, ""); err != nil || len(w) != len(Top) {
		t.Errorf("editor: %v %v", w, err)
	}
	if _, _, err := Grant("admin", ""); err == nil {
		t.Error("unknown role granted")
	}
}

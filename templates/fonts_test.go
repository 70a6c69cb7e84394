package templates

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/typeset"
)

// TestSetupInstallsTemplateFonts: every font file the templates name is
// installed by scripts/setup.sh: the Debian package that holds it (dpkg
// -S) is in setup.sh's list. make sample failed on a fresh machine once
// because a font was installed by hand only.
func TestSetupInstallsTemplateFonts(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Fatal("dpkg is needed to map fonts to their packages (the project runs on Debian)")
	}
	setup, err := os.ReadFile(filepath.Join("..", "scripts", "setup.sh"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^pkgs=\(([^)]*)\)`).FindSubmatch(setup)
	if m == nil {
		t.Fatal("scripts/setup.sh has no pkgs=(...) list")
	}
	installed := map[string]bool{}
	for _, p := range strings.Fields(string(m[1])) {
		installed[p] = true
	}
	fontRE := regexp.MustCompile(`[A-Za-z0-9_-]+\.(?:ttf|otf|ttc)`)
	fonts := map[string]bool{}
	err = fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := fs.ReadFile(FS, p)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			for _, f := range fontRE.FindAllString(line, -1) {
				fonts[f] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fonts) < 5 {
		t.Fatalf("found only %d font names in the templates", len(fonts))
	}
	names := make([]string, 0, len(fonts))
	for f := range fonts {
		names = append(names, f)
	}
	sort.Strings(names)
	set := typeset.NewFontSet(typeset.DefaultFontDirs())
	for _, f := range names {
		path, err := set.Find(f)
		if err != nil {
			t.Errorf("font %s named by the templates is not installed: %v", f, err)
			continue
		}
		real, _ := filepath.EvalSymlinks(path)
		out, err := exec.Command("dpkg", "-S", real).Output()
		if err != nil {
			out, err = exec.Command("dpkg", "-S", path).Output()
		}
		if err != nil {
			t.Errorf("font %s (%s) belongs to no Debian package: install it from a package that setup.sh names", f, path)
			continue
		}
		pkg := strings.TrimSpace(strings.SplitN(string(out), ":", 2)[0])
		if !installed[pkg] {
			t.Errorf("font %s comes from package %s, which scripts/setup.sh does not install", f, pkg)
		}
	}
}

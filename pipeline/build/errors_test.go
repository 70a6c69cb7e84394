package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// TestMissingGlyph: a character that no font covers fails the build with a
// message naming the character and where it is.
func TestMissingGlyph(t *testing.T) {
	src, err := LoadDir(filepath.Join("testdata", "missing-glyph"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(src, Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs())})
	if err == nil {
		t.Fatal("build with an uncovered character succeeded")
	}
	for _, want := range []string{"U+1F600", "😀", "en.md:10"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// TestMissingTranslation: a chapter listed but missing in one language is
// an error naming the publication file and the chapter.
func TestMissingTranslation(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"publication.yaml", "en.md"} {
		data, err := os.ReadFile(filepath.Join("testdata", "missing-glyph", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	_, err = src.Edition(tpl, "zh")
	if err == nil || !strings.Contains(err.Error(), `chapter "one" has no zh draft`) || !strings.Contains(err.Error(), "publication.yaml:6:") {
		t.Fatalf("got %v", err)
	}
}

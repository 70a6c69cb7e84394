package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// TestMissingGlyph: a character that no font covers fails the build with a
// message naming the character and where it is.
func TestMissingGlyph(t *testing.T) {
	src, err := Load(filepath.Join("testdata", "missing-glyph"), Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs())})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(src, Options{})
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

// TestAppendixErrors: an unknown appendix is refused with the publication
// file; a broken tracker workbook beside a publication fails the load with
// its sheet!cell; a publication whose tracker directory is empty gets
// appendices that say nothing is recorded, not an error.
func TestAppendixErrors(t *testing.T) {
	setup := func(t *testing.T, extra string) string {
		dir := t.TempDir()
		for _, f := range []string{"publication.yaml", "en.md", "zh.md"} {
			data, err := os.ReadFile(filepath.Join("testdata", "missing-glyph", f))
			if err != nil {
				t.Fatal(err)
			}
			if f == "publication.yaml" {
				data = append(data, []byte(extra)...)
			}
			if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	dir := setup(t, "appendices: [action-plan-status, training]\n")
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), `publication.yaml: appendix "training" is not known: use action-plan-status, capacity-building, institutions-funding`) {
		t.Fatalf("unknown appendix: %v", err)
	}
	dir = setup(t, "appendices: [capacity-building]\nas_of: \"2013-11-15\"\n")
	os.Mkdir(filepath.Join(dir, "activities"), 0o755)
	os.WriteFile(filepath.Join(dir, "activities", "tracker.xlsx"), []byte("not a workbook"), 0o644)
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "tracker.xlsx: not an XLSX workbook") {
		t.Fatalf("broken tracker: %v", err)
	}
	os.Remove(filepath.Join(dir, "activities", "tracker.xlsx"))
	src, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	ed, err := src.Edition(tpl, "en")
	if err != nil {
		t.Fatal(err)
	}
	last := ed.Chapters[len(ed.Chapters)-1]
	if last.Appendix != "A" || last.Meta.Title != "Capacity building" {
		t.Fatalf("last chapter %q %q", last.Appendix, last.Meta.Title)
	}
	if p, ok := last.Blocks[0].(*ms.Paragraph); !ok || ms.PlainText(p.Content) != tpl.Label("en", "appx.training.none") {
		t.Fatalf("appendix without records: %#v", last.Blocks[0])
	}
}

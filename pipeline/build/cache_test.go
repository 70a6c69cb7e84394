package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/synth"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// TestCacheGivesTheSameBytes: builds that reuse the layout of unchanged
// chapters and the PDF of an unchanged edition give exactly the bytes of a
// build from scratch, before and after one English chapter changes.
func TestCacheGivesTheSameBytes(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Generate(dir, 6); err != nil {
		t.Fatal(err)
	}
	fonts := typeset.NewFontSet(typeset.DefaultFontDirs())
	cache := NewCache()
	run := func(c *Cache) []Output {
		t.Helper()
		res, err := Run(context.Background(), Request{Dir: dir, Options: Options{Templates: templates.FS, Fonts: fonts, Cache: c}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Outputs
	}
	same := func(what string, a, b []Output) {
		t.Helper()
		for i := range a {
			if !bytes.Equal(a[i].PDF, b[i].PDF) {
				t.Errorf("%s: %s edition differs", what, a[i].Lang)
			}
		}
	}
	fresh := run(nil)
	same("first cached build", fresh, run(cache))
	second := run(cache)
	same("second cached build", fresh, second)
	if n := cache.Layout.Sweep(); n != 12 {
		t.Errorf("%d chapter layouts kept, want 12", n)
	}

	// change one English chapter: a sentence longer, so later pages move
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	var en string
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "lang: en") && strings.Contains(string(b), "chapter: ch03") {
			en = f
		}
	}
	if en == "" {
		t.Fatalf("no English chapter 3 among %q", files)
	}
	b, _ := os.ReadFile(en)
	os.WriteFile(en, []byte(strings.Replace(string(b), "\n\n", "\n\nA sentence added to see the pages move. It is long enough to add a line or two to the chapter and to change what falls on each of its pages.\n\n", 3)), 0o644)
	fresh = run(nil)
	cached := run(cache)
	same("after a change", fresh, cached)
	// the Chinese edition did not change: its PDF was reused, not written again
	if &cached[1].PDF[0] != &second[1].PDF[0] || cached[1].Lang != "zh" {
		t.Error("the unchanged Chinese edition was rendered again")
	}
	if bytes.Equal(cached[0].PDF, second[0].PDF) {
		t.Error("the English edition did not change")
	}
}

package synth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, 3); err != nil {
		t.Fatal(err)
	}
	pub, err := os.ReadFile(filepath.Join(dir, "publication.yaml"))
	if err != nil || !strings.Contains(string(pub), "chapters: [ch01, ch02, ch03]") {
		t.Fatalf("%s %v", pub, err)
	}
	for _, f := range []string{"ch03-en.md", "ch03-zh.md"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		// 3 sections, 12 paragraphs, 3 tables of 11 rows (plus header) by 7 columns
		if n := strings.Count(s, "\n# "); n != 3 {
			t.Errorf("%s: %d sections", f, n)
		}
		if n := strings.Count(s, "{#tbl:"); n != 3 {
			t.Errorf("%s: %d tables", f, n)
		}
		if n := strings.Count(s, "\n| "); n != 3*12 {
			t.Errorf("%s: %d table rows", f, n)
		}
		if n := strings.Count(s, "µg/m³"); n != 12 {
			t.Errorf("%s: %d paragraphs", f, n)
		}
	}
}

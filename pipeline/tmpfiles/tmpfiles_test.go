package tmpfiles

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRemoveStaleAndAll(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	old := filepath.Join(tmp, "aceo-xlsx-old")
	fresh := filepath.Join(tmp, "aceo-xlsx-fresh")
	other := filepath.Join(tmp, "someone-else")
	for _, d := range []string{old, fresh, other} {
		os.MkdirAll(d, 0o755)
	}
	twoDays := time.Now().Add(-48 * time.Hour)
	os.Chtimes(old, twoDays, twoDays)
	os.Chtimes(other, twoDays, twoDays)
	if n := RemoveStale(24 * time.Hour); n != 1 {
		t.Fatalf("removed %d, want the old aceo directory only", n)
	}
	for p, want := range map[string]bool{old: false, fresh: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", p, err == nil, want)
		}
	}
	d, done, err := Dir("x-*")
	if err != nil {
		t.Fatal(err)
	}
	f, err := File("y-*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	tracked := filepath.Join(tmp, "tracked")
	os.WriteFile(tracked, nil, 0o644)
	Track(tracked)
	RemoveAll() // an interruption
	for _, p := range []string{d, f.Name(), tracked} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s left after RemoveAll", p)
		}
	}
	done() // removing again is harmless
}

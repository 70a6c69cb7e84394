package tmpfiles

import (
	"os"
	"path/filepath"
	"strings"
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

// TestWriteFile: the new content replaces the old whole; a write that
// fails (here the target is a directory) leaves the old state and no
// temporary file.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "out.pdf")
	if err := WriteFile(p, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "two" {
		t.Errorf("content %q", b)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
	blocked := filepath.Join(dir, "sub", "taken")
	os.MkdirAll(filepath.Join(blocked, "x"), 0o755)
	if err := WriteFile(blocked, []byte("three"), 0o644); err == nil || !strings.Contains(err.Error(), "write "+blocked) {
		t.Errorf("writing over a directory: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "sub", ".aceo-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

package typeset

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFontDirs: fonts are found in the directories given first (as with
// --font-dir), by absolute path, and a missing one names the directories
// searched and the Debian packages to install.
func TestFontDirs(t *testing.T) {
	sys, err := NewFontSet(DefaultFontDirs()).Path("NotoSerif-Regular.ttf")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mine := filepath.Join(dir, "MyFont.ttf")
	if err := os.Symlink(sys, mine); err != nil {
		t.Fatal(err)
	}
	fs := NewFontSet(append([]string{dir}, DefaultFontDirs()...))
	if p, err := fs.Path("MyFont.ttf"); err != nil || p != mine {
		t.Fatalf("%s %v", p, err)
	}
	if p, err := fs.Path(sys); err != nil || p != sys {
		t.Fatalf("absolute path: %s %v", p, err)
	}
	f, err := fs.Load("MyFont.ttf")
	if err != nil || !f.Has('A') || f.Has('中') {
		t.Fatalf("%v", err)
	}
	_, err = fs.Path("NoSuchFont.ttf")
	if err == nil || !strings.Contains(err.Error(), "fonts-noto-core") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("got %v", err)
	}
}

// TestLoadFaceRefuses broken files and faces that are not there, with a
// reason; OpenType (CFF) fonts and faces of a collection load.
func TestLoadFaceRefuses(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct{ data, want string }{
		"cff.otf":   {"OTTO\x00\x0a rest", "parse font"},
		"coll.ttc":  {"ttcf\x00\x01 rest", "parse font"},
		"notes.ttf": {"hello, I am text", "not a TrueType or OpenType font"},
		"empty.ttf": {"", "empty"},
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(c.data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadFace(p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
	fs := NewFontSet(DefaultFontDirs())
	coll, err := fs.Path("NotoSerifCJK-Regular.ttc")
	if err != nil {
		t.Fatalf("%v (scripts/setup.sh installs fonts-noto-cjk)", err)
	}
	// a collection needs a face, and names the ones it has
	if _, err := LoadFace(coll); err == nil || !strings.Contains(err.Error(), "NotoSerifCJKsc-Regular") || !strings.Contains(err.Error(), "face:") {
		t.Errorf("a collection without a face: %v", err)
	}
	if _, err := LoadFaceOf(coll, "NotoSerifCJKxx-Regular"); err == nil {
		t.Error("a face the collection lacks was loaded")
	}
	f, err := fs.Load("NotoSerifCJK-Regular.ttc#NotoSerifCJKsc-Regular")
	if err != nil {
		t.Fatal(err)
	}
	if !f.Has('环') || f.Advance('环') != 1000 || f.Index == 0 {
		t.Errorf("Noto Serif CJK SC: has 环 %v, advance %v, index %d", f.Has('环'), f.Advance('环'), f.Index)
	}
	gf, err := f.glyphFont()
	if err != nil || !gf.CFF() || gf.PostScriptName != "NotoSerifCJKsc-Regular" {
		t.Errorf("embedding the face: %v, %v", gf, err)
	}
	// a single font named with the wrong face
	single, _ := fs.Path("NotoSerif-Regular.ttf")
	if _, err := LoadFaceOf(single, "NotoSerif-Bold"); err == nil || !strings.Contains(err.Error(), "NotoSerif-Regular") {
		t.Errorf("a single font under another face's name: %v", err)
	}
	// a file that looks like TrueType but is cut short
	sys, _ := NewFontSet(DefaultFontDirs()).Path("NotoSerif-Regular.ttf")
	data, _ := os.ReadFile(sys)
	cut := filepath.Join(dir, "cut.ttf")
	os.WriteFile(cut, data[:200], 0o644)
	if _, err := LoadFace(cut); err == nil {
		t.Error("truncated font accepted")
	}
}

// TestGlyphsAgree: the glyph the layout measured for a character (from
// the face's metrics parser) is the one the PDF embeds (from the
// embedding parser's character map), for every character of every font
// the template names.
func TestGlyphsAgree(t *testing.T) {
	e := testEngine(t, "zh")
	seen := map[*Face]bool{}
	for _, st := range e.st {
		for i := range st.refs {
			f := st.face(i)
			if f == nil || seen[f] {
				continue
			}
			seen[f] = true
			gf, err := f.glyphFont()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for r := rune(0); r <= 0xffff; r++ {
				if !f.Has(r) {
					continue
				}
				n++
				if g := gf.Glyph(r); g != f.gids[r] {
					t.Fatalf("%s: %U is glyph %d to the layout, %d to the PDF", f.Path, r, f.gids[r], g)
				}
			}
			if n == 0 {
				t.Errorf("%s covers no character", f.Path)
			}
		}
	}
	if len(seen) < 4 {
		t.Fatalf("only %d fonts checked", len(seen))
	}
}

// TestFaceCache: a face read from the user's cache directory has exactly
// the metrics read from the font's tables (a book typeset from either is
// the same); a cache file that is short, of another format or damaged is
// ignored and written again; another face of the same collection has a
// file of its own.
func TestFaceCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	path := testEngine(t, "zh").st["serif"].face(1).Path
	names := map[string]string{"NotoSerifCJK-Regular.ttc": "NotoSerifCJKsc-Regular"}
	face := names[filepath.Base(path)]
	cold, err := LoadFaceOf(path, face)
	if err != nil {
		t.Fatal(err)
	}
	cp := faceCachePath(path, face)
	if cp == "" {
		t.Fatal("no cache path")
	}
	if st, err := os.Stat(cp); err != nil || st.Size() != int64(faceFileSize) {
		t.Fatalf("cache file %s: %v", cp, err)
	}
	same := func(a, b *Face) bool {
		return a.Index == b.Index && a.Ascent == b.Ascent && a.Descent == b.Descent && a.dash == b.dash && a.dashOK == b.dashOK &&
			slices.Equal(a.widths, b.widths) && slices.Equal(a.gids, b.gids) && slices.Equal(a.covered, b.covered) && a.Name == b.Name
	}
	warm, err := LoadFaceOf(path, face)
	if err != nil {
		t.Fatal(err)
	}
	if !same(cold, warm) {
		t.Fatal("the face read from the cache differs from the font's")
	}
	data, _ := readFont(path)
	if f := cachedFace(cp, path, face, data); f == nil || !same(f, cold) {
		t.Fatal("the cache file was not used")
	}
	for _, bad := range [][]byte{nil, []byte("aceo-face-1"), append([]byte("aceo-face-0"), encodeFace(cold)[len(faceCacheVersion):]...)} {
		if err := os.WriteFile(cp, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := LoadFaceOf(path, face)
		if err != nil || !same(f, cold) {
			t.Fatalf("after a bad cache file (%d bytes): %v", len(bad), err)
		}
		if b, _ := os.ReadFile(cp); len(b) != faceFileSize {
			t.Errorf("the bad cache file was not written again")
		}
	}
	if other := faceCachePath(path, "NotoSerifCJKtc-Regular"); other == cp || other == "" {
		t.Error("two faces of a collection share a cache file")
	}
	if face == "" {
		t.Logf("%s is not a collection here", path)
	}
}

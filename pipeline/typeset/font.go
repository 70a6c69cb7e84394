package typeset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/aceo-project/aceo/pipeline/pdffont"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Face is one parsed TrueType font file: its bytes (for embedding) and the
// metrics the layout needs. A Face is read-only after loading and is shared
// by every document of a build.
type Face struct {
	Name     string // family name used in the PDF, unique per file
	Path     string
	Data     []byte
	hashOnce sync.Once
	hash     string
	Ascent   float64
	Descent  float64 // negative
	widths   []uint16
	gids     []uint16 // glyph of each character of the Basic Multilingual Plane
	covered  []uint64 // bit set over the Basic Multilingual Plane
	// dash is the ink of the em dash (U+2014), in thousandths of an em:
	// x from, x to, and its band above the baseline; dashOK when known
	dash   [4]float64
	dashOK bool
	// Index is the font's position in a collection (TTC), 0 otherwise.
	Index     int
	glyphOnce sync.Once
	glyph     *pdffont.Font
	glyphErr  error
}

// SHA256 returns the hex SHA-256 of the font file, computed on first use.
func (f *Face) SHA256() string {
	f.hashOnce.Do(func() {
		sum := sha256.Sum256(f.Data)
		f.hash = hex.EncodeToString(sum[:])
	})
	return f.hash
}

// Has reports whether the font has a glyph for r.
func (f *Face) Has(r rune) bool {
	if r < 0 || r > 0xffff {
		return false
	}
	return f.covered[r>>6]&(1<<(uint(r)&63)) != 0
}

// Advance is r's advance width in thousandths of the font size.
func (f *Face) Advance(r rune) float64 {
	if r < 0 || r > 0xffff {
		return 0
	}
	return float64(f.widths[r])
}

// Width is the width of s in points at size.
func (f *Face) Width(s string, size float64) float64 {
	w := 0
	for _, r := range s {
		if r <= 0xffff {
			w += int(f.widths[r])
		}
	}
	return float64(w) * size / 1000
}

// FontSet loads font files once and finds them by name in a list of
// directories.
type FontSet struct {
	Dirs  []string // searched in order, recursively
	mu    sync.Mutex
	faces map[string]*faceLoad
	index map[string]string // base name -> path, built on first search
}

// DefaultFontDirs are the directories searched for fonts named without a
// path: $ACEO_FONT_PATH (colon separated), the user's and the system's
// font directories.
func DefaultFontDirs() []string {
	var dirs []string
	if p := os.Getenv("ACEO_FONT_PATH"); p != "" {
		dirs = append(dirs, filepath.SplitList(p)...)
	}
	if h, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(h, ".local/share/fonts"), filepath.Join(h, ".fonts"))
	}
	return append(dirs, "/usr/local/share/fonts", "/usr/share/fonts", "/Library/Fonts", "/System/Library/Fonts", `C:\Windows\Fonts`)
}

// NewFontSet returns a font set searching dirs.
func NewFontSet(dirs []string) *FontSet {
	return &FontSet{Dirs: dirs, faces: map[string]*faceLoad{}}
}

// Find resolves a font file name (or path) to a file on disk.
func (s *FontSet) Find(name string) (string, error) {
	if filepath.IsAbs(name) || strings.ContainsRune(name, os.PathSeparator) {
		if _, err := os.Stat(name); err != nil {
			return "", fmt.Errorf("font file %s: %w", name, err)
		}
		return name, nil
	}
	if s.index == nil {
		s.index = map[string]string{}
		for _, d := range s.Dirs {
			_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
				if err != nil {
					return nil
				}
				if !e.IsDir() {
					if _, ok := s.index[e.Name()]; !ok {
						s.index[e.Name()] = p
					}
				}
				return nil
			})
		}
	}
	if p, ok := s.index[name]; ok {
		return p, nil
	}
	return "", fmt.Errorf("font %s not found in %s; install it (on Debian: apt-get install fonts-noto-core fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-droid-fallback), or name its directory with --font-dir or ACEO_FONT_PATH",
		name, strings.Join(s.Dirs, ", "))
}

// Path resolves a font file name to its path, without loading it.
func (s *FontSet) Path(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Find(name)
}

// Load returns the parsed face for a font file name, loading it once. Faces
// with different names load in parallel; callers asking for the same name
// wait for the one load.
func (s *FontSet) Load(name string) (*Face, error) {
	s.mu.Lock()
	l, ok := s.faces[name]
	if !ok {
		l = &faceLoad{}
		s.faces[name] = l
	}
	s.mu.Unlock()
	l.once.Do(func() {
		s.mu.Lock()
		path, err := s.Find(name)
		s.mu.Unlock()
		if err != nil {
			l.err = err
			return
		}
		l.face, l.err = LoadFace(path)
	})
	return l.face, l.err
}

// Preload loads the named fonts in parallel, two at a time; errors are
// reported later by Load.
func (s *FontSet) Preload(names []string) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, n := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func(n string) {
			defer wg.Done()
			defer func() { <-sem }()
			_, _ = s.Load(n)
		}(n)
	}
	wg.Wait()
}

type faceLoad struct {
	once sync.Once
	face *Face
	err  error
}

// LoadFace parses a TrueType font file. The PDF library reads only
// TrueType outlines (glyf) in the Basic Multilingual Plane, not CFF
// OpenType fonts or collections, so those are refused here with a clear
// message instead of failing later inside the library.
func LoadFace(path string) (*Face, error) {
	data, err := readFont(path)
	if err != nil {
		return nil, fmt.Errorf("read font: %w", err)
	}
	switch {
	case bytes.HasPrefix(data, []byte("OTTO")):
		return nil, fmt.Errorf("font %s has PostScript (CFF) outlines, which the PDF library cannot embed; use a TrueType (.ttf) font", path)
	case bytes.HasPrefix(data, []byte("ttcf")):
		return nil, fmt.Errorf("font %s is a font collection (.ttc), which the PDF library cannot embed; use a single TrueType (.ttf) font", path)
	case !bytes.HasPrefix(data, []byte{0, 1, 0, 0}) && !bytes.HasPrefix(data, []byte("true")):
		return nil, fmt.Errorf("font %s is not a TrueType font file", path)
	}
	// Metrics come from golang.org/x/image/font/sfnt, which parses from
	// memory (the PDF library's own parser reads the file a few bytes per
	// system call). Widths are rounded to thousandths of an em exactly as
	// the PDF library rounds them, so that measured and drawn widths agree.
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parse font %s: %w", path, err)
	}
	upem := sf.UnitsPerEm()
	if upem == 0 {
		return nil, fmt.Errorf("parse font %s: no units per em", path)
	}
	f := &Face{
		Name:    strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)),
		Path:    path,
		Data:    data,
		widths:  make([]uint16, 0x10000),
		gids:    make([]uint16, 0x10000),
		covered: make([]uint64, 0x10000/64),
	}
	scale := 1000 / float64(upem)
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(upem) << 6
	if m, err := sf.Metrics(&buf, ppem, font.HintingNone); err == nil {
		f.Ascent = float64(m.Ascent) / 64 * scale
		f.Descent = -float64(m.Descent) / 64 * scale
	}
	for r := rune(0); r < 0x10000; r++ {
		g, err := sf.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			continue
		}
		adv, err := sf.GlyphAdvance(&buf, g, ppem, font.HintingNone)
		if err != nil {
			continue
		}
		f.widths[r] = uint16(math.Round(float64(adv) / 64 * scale))
		f.gids[r] = uint16(g)
		f.covered[r>>6] |= 1 << (uint(r) & 63)
	}
	if g, err := sf.GlyphIndex(&buf, '—'); err == nil && g != 0 {
		if b, _, err := sf.GlyphBounds(&buf, g, ppem, font.HintingNone); err == nil && b.Max.X > b.Min.X {
			f.dash = [4]float64{float64(b.Min.X) / 64 * scale, float64(b.Max.X) / 64 * scale, -float64(b.Max.Y) / 64 * scale, -float64(b.Min.Y) / 64 * scale}
			f.dashOK = true
		}
	}
	return f, nil
}

// Loaded returns the faces loaded so far, sorted by path.
func (s *FontSet) Loaded() []*Face {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Face
	for _, l := range s.faces {
		if l.face != nil {
			out = append(out, l.face)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

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
	shape     shapeState
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

// Width is the width of s in points at size, as shaped (kerning and
// ligatures included).
func (f *Face) Width(s string, size float64) float64 {
	if run := f.shaped(s); run != nil {
		return run.width * size / 1000
	}
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
	return "", fmt.Errorf("font %s not found in %s; install it (on Debian: apt-get install fonts-noto-core fonts-noto-cjk fonts-arphic-gkai00mp fonts-droid-fallback), or name its directory with --font-dir or ACEO_FONT_PATH",
		name, strings.Join(s.Dirs, ", "))
}

// Path resolves a font file name to its path, without loading it (a
// face of a collection, "file.ttc#Face", to the collection's path).
func (s *FontSet) Path(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	file, _, _ := strings.Cut(name, "#")
	return s.Find(file)
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
		file, face, _ := strings.Cut(name, "#")
		path, err := s.Find(file)
		s.mu.Unlock()
		if err != nil {
			l.err = err
			return
		}
		l.face, l.err = LoadFaceOf(path, face)
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

// LoadFace parses a font file: TrueType or OpenType (CFF) outlines, or
// one face of a collection (TTC/OTC) named by its PostScript name with
// LoadFaceOf.
func LoadFace(path string) (*Face, error) { return LoadFaceOf(path, "") }

// LoadFaceOf parses the face named face (its PostScript name, as fc-scan
// or the template's face: key gives it) of the font file at path; face is
// required for a collection and, when given, must name a single font too.
func LoadFaceOf(path, face string) (*Face, error) {
	data, err := readFont(path)
	if err != nil {
		return nil, fmt.Errorf("read font: %w", err)
	}
	cache := faceCachePath(path, face)
	if f := cachedFace(cache, path, face, data); f != nil {
		return f, nil
	}
	f, err := measureFace(path, face, data)
	if err == nil {
		storeFace(cache, f)
	}
	return f, err
}

// newFace is a face of the font file at path with its data, before its
// metrics are read.
func newFace(path, face string, data []byte) *Face {
	f := &Face{Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), Path: path, Data: data}
	if face != "" {
		f.Name += "-" + face
	}
	return f
}

// measureFace reads the metrics of face of the font data (at path) from
// its tables.
func measureFace(path, face string, data []byte) (*Face, error) {
	var sf *sfnt.Font
	var err error
	index := 0
	var buf sfnt.Buffer
	switch {
	case bytes.HasPrefix(data, []byte("ttcf")):
		c, err := sfnt.ParseCollection(data)
		if err != nil {
			return nil, fmt.Errorf("parse font %s: %w", path, err)
		}
		var names []string
		for i := 0; i < c.NumFonts(); i++ {
			f, err := c.Font(i)
			if err != nil {
				return nil, fmt.Errorf("parse font %s, face %d: %w", path, i, err)
			}
			n, _ := f.Name(&buf, sfnt.NameIDPostScript)
			names = append(names, n)
			if n == face {
				sf, index = f, i
			}
		}
		if sf == nil {
			return nil, fmt.Errorf("font %s is a collection of %d faces; name one in the template as {file: %s, face: NAME}, NAME one of %s", path, len(names), filepath.Base(path), strings.Join(names, ", "))
		}
	case bytes.HasPrefix(data, []byte("OTTO")), bytes.HasPrefix(data, []byte{0, 1, 0, 0}), bytes.HasPrefix(data, []byte("true")):
		if sf, err = sfnt.Parse(data); err != nil {
			return nil, fmt.Errorf("parse font %s: %w", path, err)
		}
		if face != "" {
			if n, _ := sf.Name(&buf, sfnt.NameIDPostScript); n != face {
				return nil, fmt.Errorf("font %s is %s, not %s: leave out face: for a single font, or name the right file", path, n, face)
			}
		}
	default:
		return nil, fmt.Errorf("font %s is not a TrueType or OpenType font file", path)
	}
	upem := sf.UnitsPerEm()
	if upem == 0 {
		return nil, fmt.Errorf("parse font %s: no units per em", path)
	}
	f := newFace(path, face, data)
	f.Index = index
	f.widths, f.gids, f.covered = make([]uint16, 0x10000), make([]uint16, 0x10000), make([]uint64, 0x10000/64)
	scale := 1000 / float64(upem)
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

package typeset

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// Text is shaped with go-text/typesetting (a Go port of HarfBuzz) with
// the font's default features: kerning, standard ligatures, contextual
// alternates. A shaped run is cached per face and text: a publication's
// words repeat, and measuring and drawing shape the same strings.

// shapedGlyph is one glyph of a shaped run: its glyph, its advance in
// thousandths of an em (kerning included), and the text it stands for
// (the characters of its cluster; empty for the second and later glyphs
// of a cluster).
type shapedGlyph struct {
	gid  uint16
	adv  float64
	text string
	at   int // byte offset of its cluster in the run's text
}

// shapedRun is a shaped text: its glyphs and total advance.
type shapedRun struct {
	glyphs []shapedGlyph
	width  float64 // thousandths of an em
	bytes  int     // length of the text
}

// shapeState is a face's shaping font and cache.
type shapeState struct {
	once  sync.Once
	font  *font.Font
	err   error
	cache sync.Map  // string -> *shapedRun
	pairs sync.Pool // *facedShaper: neither is safe for concurrent use, and both are costly to make
}

// facedShaper is a shaper and the one face it shapes with. They go
// together: a HarfbuzzShaper keeps the harfbuzz font it first made for a
// font, and that font holds the face it was made with, so a shaper used
// with another goroutine's face would share that face's caches.
type facedShaper struct {
	face *font.Face
	sh   shaping.HarfbuzzShaper
}

var (
	langEn = language.NewLanguage("en")
	langZh = language.NewLanguage("zh-Hans")
)

// shapeFont is the face's font for shaping, parsed once.
func (f *Face) shapeFont() (*font.Font, error) {
	st := &f.shape
	st.once.Do(func() {
		view, err := shapingView(f.Data, f.Index)
		if err != nil {
			st.err = fmt.Errorf("shape with %s: %w", f.Path, err)
			return
		}
		ld, err := ot.NewLoader(bytes.NewReader(view))
		if err != nil {
			st.err = fmt.Errorf("shape with %s: %w", f.Path, err)
			return
		}
		st.font, st.err = font.NewFont(ld)
		if st.err != nil {
			st.err = fmt.Errorf("shape with %s: %w", f.Path, st.err)
		}
	})
	return st.font, st.err
}

// shaped returns s shaped in the face, from the cache when it was shaped
// before; nil when the face cannot be shaped with (the caller then falls
// back to the character map and advance widths).
func (f *Face) shaped(s string) *shapedRun {
	if v, ok := f.shape.cache.Load(s); ok {
		return v.(*shapedRun)
	}
	ft, err := f.shapeFont()
	if err != nil {
		return nil
	}
	runes := []rune(s)
	fs, _ := f.shape.pairs.Get().(*facedShaper)
	if fs == nil {
		fs = &facedShaper{face: font.NewFace(ft)}
	}
	defer f.shape.pairs.Put(fs)
	in := shaping.Input{Text: runes, RunStart: 0, RunEnd: len(runes), Direction: di.DirectionLTR, Face: fs.face, Size: fixed.I(1000), Script: language.Latin, Language: langEn}
	for _, r := range runes {
		if unicode.Is(unicode.Han, r) || isWide(r) {
			in.Script, in.Language = language.Han, langZh
			break
		}
	}
	out := fs.sh.ShapeNoExtents(in)
	run := &shapedRun{glyphs: make([]shapedGlyph, len(out.Glyphs)), bytes: len(s)}
	// byte offsets of the runes, for each cluster's text
	offs := make([]int, len(runes)+1)
	for i, o := 0, 0; i < len(runes); i++ {
		offs[i] = o
		o += len(string(runes[i]))
	}
	offs[len(runes)] = len(s)
	prev := -1
	for i, g := range out.Glyphs {
		sg := shapedGlyph{gid: uint16(g.GlyphID), adv: float64(g.XAdvance) / 64}
		if c := g.ClusterIndex; c >= 0 && c+g.RuneCount <= len(runes) {
			sg.at = offs[c]
			if c != prev {
				sg.text = s[offs[c]:offs[c+g.RuneCount]]
				prev = c
			}
		}
		run.glyphs[i] = sg
		run.width += sg.adv
	}
	if v, loaded := f.shape.cache.LoadOrStore(s, run); loaded {
		return v.(*shapedRun)
	}
	return run
}

// shapingTables are the tables shaping reads: character map, metrics and
// the OpenType layout tables; not the outlines.
var shapingTables = map[string]bool{
	"cmap": true, "head": true, "hhea": true, "hmtx": true, "maxp": true, "OS/2": true, "post": true,
	"GSUB": true, "GPOS": true, "GDEF": true, "kern": true, "vhea": true, "vmtx": true,
}

// shapingView is face index of a font file (a collection or a single
// font) rewritten as a single font of the tables shaping reads. The
// shaping library copies every table it parses, the outlines included: a
// CJK font's 23 MB of CFF charstrings took a quarter of a second and as
// many megabytes per face, for glyphs the PDF embeds through pdffont.
func shapingView(data []byte, index int) ([]byte, error) {
	u16 := func(o int) int { return int(binary.BigEndian.Uint16(data[o:])) }
	u32 := func(o int) int { return int(binary.BigEndian.Uint32(data[o:])) }
	if len(data) < 12 {
		return nil, errors.New("font too short")
	}
	dir := 0
	if string(data[:4]) == "ttcf" {
		if index < 0 || len(data) < 12+4*(index+1) || index >= u32(8) {
			return nil, fmt.Errorf("no face %d in the collection", index)
		}
		dir = u32(12 + 4*index)
	}
	if dir+12 > len(data) || dir < 0 {
		return nil, errors.New("table directory out of bounds")
	}
	n := u16(dir + 4)
	if dir+12+16*n > len(data) {
		return nil, errors.New("table directory out of bounds")
	}
	type table struct {
		tag  string
		body []byte
	}
	var tables []table
	for i := 0; i < n; i++ {
		rec := dir + 12 + 16*i
		tag := string(data[rec : rec+4])
		off, length := u32(rec+8), u32(rec+12)
		if !shapingTables[tag] {
			continue
		}
		if off < 0 || length < 0 || off+length > len(data) {
			return nil, fmt.Errorf("table %s out of bounds", tag)
		}
		tables = append(tables, table{tag, data[off : off+length]})
	}
	size := 12 + 16*len(tables)
	for _, t := range tables {
		size += (len(t.body) + 3) &^ 3
	}
	out := make([]byte, 12+16*len(tables), size)
	copy(out[:4], data[dir:dir+4])
	binary.BigEndian.PutUint16(out[4:], uint16(len(tables)))
	for i, t := range tables {
		rec := out[12+16*i:]
		copy(rec[:4], t.tag)
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t.body)))
		out = append(out, t.body...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}

package typeset

import (
	"bytes"
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
	cache sync.Map // string -> *shapedRun
}

var shaperPool = sync.Pool{New: func() any { return new(shaping.HarfbuzzShaper) }}

var (
	langEn = language.NewLanguage("en")
	langZh = language.NewLanguage("zh-Hans")
)

// shapeFont is the face's font for shaping, parsed once.
func (f *Face) shapeFont() (*font.Font, error) {
	st := &f.shape
	st.once.Do(func() {
		lds, err := ot.NewLoaders(bytes.NewReader(f.Data))
		if err != nil {
			st.err = fmt.Errorf("shape with %s: %w", f.Path, err)
			return
		}
		if f.Index >= len(lds) {
			st.err = fmt.Errorf("shape with %s: no face %d", f.Path, f.Index)
			return
		}
		st.font, st.err = font.NewFont(lds[f.Index])
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
	in := shaping.Input{Text: runes, RunStart: 0, RunEnd: len(runes), Direction: di.DirectionLTR, Face: font.NewFace(ft), Size: fixed.I(1000), Script: language.Latin, Language: langEn}
	for _, r := range runes {
		if unicode.Is(unicode.Han, r) || isWide(r) {
			in.Script, in.Language = language.Han, langZh
			break
		}
	}
	sh := shaperPool.Get().(*shaping.HarfbuzzShaper)
	out := sh.ShapeNoExtents(in)
	shaperPool.Put(sh)
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

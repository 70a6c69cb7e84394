// Package pdffont embeds OpenType fonts in PDF documents as subsets of
// the glyphs a document uses: TrueType outlines as CIDFontType2, CFF
// outlines as CIDFontType0C, each under its real PostScript name with a
// subset tag ("ABCDEF+NotoSerifCJKsc-Regular"), with the widths of its
// glyphs and a ToUnicode CMap so that text extracts and searches.
//
// Text is written as 2-byte glyph codes (Identity-H): code n is the n-th
// glyph the document used, in the order it first used them, so the same
// document gives the same bytes. Font collections (TTC/OTC) are opened by
// index.
package pdffont

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/tdewolff/font"
)

// Font is a parsed font file, read-only and shared by the documents that
// use it.
type Font struct {
	data  []byte
	index int
	// PostScriptName is the font's name table entry 6 (letters, digits
	// and hyphens only, as PDF names need).
	PostScriptName string
	cff            bool // CFF outlines (else TrueType)
	unitsPerEm     float64
	numGlyphs      int
	bbox           [4]int // thousandths of an em
	ascent         int
	descent        int
	capHeight      int
	italicAngle    float64
	weight         int
	fixedPitch     bool
	serif          bool
	cmap           func(r rune) uint16
	advance        []uint16 // by glyph, in font units
	cffTable       []byte   // the raw "CFF " table, for the subsetter
	cffOnce        sync.Once
	cffParsed      *cffFont // cffTable parsed, on first use
	cffErr         error
}

// Parse reads font number index of data (0 for a single font; the
// position in a TTC/OTC collection otherwise). data is kept, not copied,
// and never written.
func Parse(data []byte, index int) (*Font, error) {
	s, err := font.ParseSFNT(data, index)
	if err != nil {
		return nil, fmt.Errorf("parse font: %w", err)
	}
	f := &Font{data: data, index: index, cff: s.IsCFF, numGlyphs: int(s.NumGlyphs())}
	if s.Head == nil || s.Head.UnitsPerEm == 0 || s.Hmtx == nil || s.Hhea == nil {
		return nil, errors.New("parse font: no head, hhea or hmtx table")
	}
	if s.IsCFF {
		if _, ok := s.Tables["CFF2"]; ok {
			return nil, errors.New("parse font: CFF2 (variable) outlines are not supported; use a static OTF or TTF")
		}
		f.cffTable = s.Tables["CFF "]
		if len(f.cffTable) == 0 {
			return nil, errors.New("parse font: no CFF table")
		}
	} else if !s.IsTrueType {
		return nil, errors.New("parse font: neither TrueType nor CFF outlines")
	}
	if r := s.Name.Get(font.NamePostScript); len(r) > 0 {
		f.PostScriptName = pdfName(r[0].String())
	}
	if f.PostScriptName == "" {
		f.PostScriptName = "Font"
	}
	f.unitsPerEm = float64(s.Head.UnitsPerEm)
	k := 1000 / f.unitsPerEm
	f.bbox = [4]int{int(math.Floor(float64(s.Head.XMin) * k)), int(math.Floor(float64(s.Head.YMin) * k)), int(math.Ceil(float64(s.Head.XMax) * k)), int(math.Ceil(float64(s.Head.YMax) * k))}
	f.ascent, f.descent = int(math.Round(float64(s.Hhea.Ascender)*k)), int(math.Round(float64(s.Hhea.Descender)*k))
	if s.OS2 != nil {
		f.capHeight = int(math.Round(float64(s.OS2.SCapHeight) * k))
		f.weight = int(s.OS2.UsWeightClass)
		f.serif = s.OS2.SFamilyClass>>8 >= 1 && s.OS2.SFamilyClass>>8 <= 7
	}
	if f.capHeight == 0 {
		f.capHeight = f.ascent
	}
	if s.Post != nil {
		f.italicAngle = s.Post.ItalicAngle
		f.fixedPitch = s.Post.IsFixedPitch != 0
	}
	f.advance = make([]uint16, f.numGlyphs)
	for g := range f.advance {
		f.advance[g] = s.GlyphAdvance(uint16(g))
	}
	cmap := s.Cmap
	if cmap == nil {
		return nil, errors.New("parse font: no cmap table")
	}
	var subs []cmapSub
	for _, rec := range cmap.EncodingRecords {
		if int(rec.Subtable) < len(cmap.Subtables) {
			subs = append(subs, cmapSub{cmapRank(rec.PlatformID, rec.EncodingID), cmap.Subtables[rec.Subtable].Get})
		}
	}
	f.cmap = unicodeCmap(subs)
	return f, nil
}

// cmapSub is a character map subtable and its rank (lower first).
type cmapSub struct {
	rank int
	get  func(rune) (uint16, bool)
}

// cmapRank ranks a subtable by its platform and encoding.
func cmapRank(p, e uint16) int {
	switch {
	case p == 3 && e == 10, p == 0 && (e == 4 || e == 6):
		return 0
	case p == 3 && e == 1, p == 0:
		return 1
	}
	return 2
}

// unicodeCmap looks characters up in the font's Unicode subtables only,
// full-repertoire ones first ((3,10), (0,4), (0,6)), then the BMP ones;
// a Macintosh or symbol subtable is used only when there is no other.
// (The library's own lookup takes the first subtable that maps the
// character, a Macintosh one included, which gives other glyphs than
// the layout measured.)
func unicodeCmap(subs []cmapSub) func(rune) uint16 {
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].rank < subs[j].rank })
	if len(subs) > 0 && subs[0].rank < 2 {
		for len(subs) > 0 && subs[len(subs)-1].rank == 2 {
			subs = subs[:len(subs)-1]
		}
	}
	return func(r rune) uint16 {
		for _, s := range subs {
			if g, ok := s.get(r); ok {
				return g
			}
		}
		return 0
	}
}

// pdfName keeps the characters a PostScript font name may have.
func pdfName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CFF reports whether the font has CFF outlines.
func (f *Font) CFF() bool { return f.cff }

// Glyph is the glyph of r in the font's character map, 0 when it has none.
func (f *Font) Glyph(r rune) uint16 { return f.cmap(r) }

// NumGlyphs is the number of glyphs in the font.
func (f *Font) NumGlyphs() int { return f.numGlyphs }

// Advance is glyph g's advance width in thousandths of an em, rounded as
// the PDF's width array has it.
func (f *Font) Advance(g uint16) int {
	if int(g) >= len(f.advance) {
		return 0
	}
	return int(math.Round(float64(f.advance[g]) * 1000 / f.unitsPerEm))
}

// Subset collects the glyphs one document uses of a font.
type Subset struct {
	font   *Font
	old    []uint16             // the font's glyph by code; old[0] is .notdef
	code   map[glyphText]uint16 // a glyph standing for a text, at a width -> its code
	text   [][]rune             // the text each code stands for
	widths []int                // each code's width, thousandths of an em
}

// glyphText is a glyph, the text it stands for and its width: a glyph
// drawn for two characters (space and no-break space, say) gets a code
// for each, so that each extracts as itself, and a glyph set narrower
// than its advance (a punctuation mark that loses its blank half) gets a
// code of that width.
type glyphText struct {
	g     uint16
	text  string
	width int
}

// NewSubset starts an empty subset of f.
func (f *Font) NewSubset() *Subset {
	return &Subset{font: f, old: []uint16{0}, code: map[glyphText]uint16{{0, "", f.Advance(0)}: 0}, text: [][]rune{nil}, widths: []int{f.Advance(0)}}
}

// Font is the font the subset is of.
func (s *Subset) Font() *Font { return s.font }

// Code returns the code of glyph g standing for text (which the ToUnicode
// map gives for it) at its advance width, adding it to the subset on
// first use. It fails beyond 65,535 codes.
func (s *Subset) Code(g uint16, text []rune) (uint16, error) {
	return s.CodeWidth(g, text, s.font.Advance(g))
}

// CodeWidth is Code for glyph g set width thousandths of an em wide: the
// PDF advances by that width after it, whatever the glyph's own advance.
// The subset then holds a copy of the glyph with that advance, so that the
// font program agrees with the widths array (as PDF/A requires); only CFF
// fonts' subsets can, and a TrueType glyph at another width is an error.
func (s *Subset) CodeWidth(g uint16, text []rune, width int) (uint16, error) {
	if width != s.font.Advance(g) && !s.font.cff {
		return 0, fmt.Errorf("glyph %d of %s set %d wide: only a CFF font's glyphs can be set at another width than their own", g, s.font.PostScriptName, width)
	}
	key := glyphText{g, string(text), width}
	if g == 0 {
		key.text = "" // .notdef stands for nothing
	}
	if c, ok := s.code[key]; ok {
		return c, nil
	}
	if int(g) >= s.font.numGlyphs {
		return 0, fmt.Errorf("glyph %d is not in %s (%d glyphs)", g, s.font.PostScriptName, s.font.numGlyphs)
	}
	if len(s.old) >= 0xffff {
		return 0, fmt.Errorf("more than 65,535 glyphs of %s in one document", s.font.PostScriptName)
	}
	c := uint16(len(s.old))
	s.old = append(s.old, g)
	s.code[key] = c
	s.text = append(s.text, append([]rune(nil), text...))
	s.widths = append(s.widths, width)
	return c, nil
}

// Len is the number of glyphs in the subset, .notdef included.
func (s *Subset) Len() int { return len(s.old) }

// Width is the width of code c in thousandths of an em.
func (s *Subset) Width(c uint16) int { return s.widths[c] }

// Tag is the subset's six-letter tag, from a hash of its font and glyphs:
// the same subset always has the same tag, and different subsets of a
// font almost surely differ.
func (s *Subset) Tag() string {
	h := sha256.New()
	h.Write([]byte(s.font.PostScriptName))
	var b [2]byte
	for _, g := range s.old {
		binary.BigEndian.PutUint16(b[:], g)
		h.Write(b[:])
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}

// BaseFont is the subset's PDF font name: its tag, "+", the PostScript name.
func (s *Subset) BaseFont() string { return s.Tag() + "+" + s.font.PostScriptName }

// Writer writes PDF objects: a body as a new object, or a stream with
// the entries of dict (it adds Length and any Filter), returning the
// object's number.
type Writer interface {
	Object(body string) int
	Stream(dict string, data []byte) int
}

// Put writes the subset's objects (font program, descriptor, CIDFont,
// ToUnicode CMap and the Type0 font) and returns the number of the Type0
// font dictionary, the one a page's resources name.
func (s *Subset) Put(w Writer) (int, error) {
	prog, err := s.program()
	if err != nil {
		return 0, fmt.Errorf("subset %s: %w", s.font.PostScriptName, err)
	}
	base := s.BaseFont()
	var file int
	var subtype, fileKey string
	if s.font.cff {
		file = w.Stream(" /Subtype /CIDFontType0C", prog)
		subtype, fileKey = "CIDFontType0", "FontFile3"
	} else {
		file = w.Stream(fmt.Sprintf(" /Length1 %d", len(prog)), prog)
		subtype, fileKey = "CIDFontType2", "FontFile2"
	}
	f := s.font
	flags := 4 // symbolic: glyphs outside the standard Latin set
	if f.fixedPitch {
		flags |= 1
	}
	if f.serif {
		flags |= 2
	}
	if f.italicAngle != 0 {
		flags |= 64
	}
	weight := f.weight
	if weight == 0 {
		weight = 400
	}
	stemV := 10 + 220*(max(weight, 50)-50)/900 // the usual estimate from the weight class
	desc := w.Object(fmt.Sprintf("<</Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %s /Ascent %d /Descent %d /CapHeight %d /StemV %d /%s %d 0 R>>",
		base, flags, f.bbox[0], f.bbox[1], f.bbox[2], f.bbox[3], num(f.italicAngle), f.ascent, f.descent, f.capHeight, stemV, fileKey, file))
	cid := fmt.Sprintf("<</Type /Font /Subtype /%s /BaseFont /%s /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor %d 0 R /DW %d /W %s",
		subtype, base, desc, s.Width(0), s.widthArray())
	if !s.font.cff {
		cid += " /CIDToGIDMap /Identity"
	}
	cidObj := w.Object(cid + ">>")
	toUni := w.Stream("", s.toUnicode())
	return w.Object(fmt.Sprintf("<</Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>", base, cidObj, toUni)), nil
}

func num(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprint(int(v))
	}
	return fmt.Sprintf("%.2f", v)
}

// widthArray is the W array: runs of codes with their widths.
func (s *Subset) widthArray() string {
	var b strings.Builder
	b.WriteByte('[')
	for c := 1; c < len(s.old); {
		// a run of consecutive codes, written as c [w1 w2 ...]
		end := min(c+64, len(s.old))
		fmt.Fprintf(&b, "%d [", c)
		for i := c; i < end; i++ {
			if i > c {
				b.WriteByte(' ')
			}
			fmt.Fprint(&b, s.Width(uint16(i)))
		}
		b.WriteString("] ")
		c = end
	}
	return strings.TrimSpace(b.String()) + "]"
}

// toUnicode is the ToUnicode CMap: each code to the text it stands for.
func (s *Subset) toUnicode() []byte {
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	var entries []string
	for c := 1; c < len(s.old); c++ {
		if len(s.text[c]) == 0 {
			continue
		}
		var hex strings.Builder
		for _, u := range utf16.Encode(s.text[c]) {
			fmt.Fprintf(&hex, "%04X", u)
		}
		entries = append(entries, fmt.Sprintf("<%04X> <%s>", c, hex.String()))
	}
	for i := 0; i < len(entries); i += 100 {
		chunk := entries[i:min(i+100, len(entries))]
		fmt.Fprintf(&b, "%d beginbfchar\n%s\nendbfchar\n", len(chunk), strings.Join(chunk, "\n"))
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return []byte(b.String())
}

// program is the subset's font program: a TrueType font with the glyphs
// in code order, or a bare CID-keyed CFF.
func (s *Subset) program() ([]byte, error) {
	if f := s.font; f.cff {
		f.cffOnce.Do(func() { f.cffParsed, f.cffErr = parseCFF(f.cffTable) })
		if f.cffErr != nil {
			return nil, f.cffErr
		}
		// a code set narrower than its glyph's advance (a punctuation
		// mark that lost its blank half) is a copy of the glyph with that
		// advance, so that the font program and the widths array agree
		// (PDF/A's rule): the font's units are its em over 1000
		widths := map[int]int{}
		for c, g := range s.old {
			if s.widths[c] != f.Advance(g) {
				widths[c] = int(math.Round(float64(s.widths[c]) * f.unitsPerEm / 1000))
			}
		}
		return f.cffParsed.subset(s.old, widths)
	}
	// the library changes the font it subsets: parse a copy each time
	sf, err := font.ParseSFNT(s.font.data, s.font.index)
	if err != nil {
		return nil, err
	}
	sub, err := sf.Subset(append([]uint16(nil), s.old...), font.SubsetOptions{Tables: font.KeepPDFTables})
	if err != nil {
		return nil, err
	}
	return keepModified(sub.Write(), sf.Tables["head"])
}

// keepModified puts the font's own modification date back into the head
// table of a subset (the library writes the time of writing, which would
// make every build's bytes differ) and recomputes the checksums.
func keepModified(prog, head []byte) ([]byte, error) {
	if len(head) < 36 || len(prog) < 12 {
		return nil, errors.New("no head table")
	}
	n := int(binary.BigEndian.Uint16(prog[4:]))
	for i := 0; i < n && 12+16*i+16 <= len(prog); i++ {
		rec := prog[12+16*i:]
		if string(rec[:4]) != "head" {
			continue
		}
		off, length := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off+length > len(prog) || length < 36 {
			return nil, errors.New("subset head table out of bounds")
		}
		t := prog[off : off+length]
		copy(t[28:36], head[28:36])
		binary.BigEndian.PutUint32(t[8:], 0)
		binary.BigEndian.PutUint32(rec[4:], checksum(prog[off:min(off+(length+3)&^3, len(prog))]))
		binary.BigEndian.PutUint32(t[8:], 0xB1B0AFBA-checksum(prog))
		return prog, nil
	}
	return nil, errors.New("subset without a head table")
}

// checksum is the OpenType table checksum: the sum of big-endian uint32s,
// the last one padded with zeros.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:min(i+4, len(b))])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

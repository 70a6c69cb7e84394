package typeset

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/aceo-project/aceo/pipeline/pdffont"
)

// textState is the text state in effect on the page: font, size, fill
// colour and character spacing, each written only when it changes. The
// library sets its fill colour before every fill it makes, so a text's
// colour never leaks into a rule or rectangle; after one of those the
// fill colour is unknown again (colorSet false).
type textState struct {
	face     *pdfFace
	size     float64
	color    Color
	colorSet bool
	spacing  float64
	// open: a text object (BT) is open, its last line started at x, y
	// (hundredths of a point): the next line in it moves by the
	// difference ("0 -14.6 Td") instead of closing it and opening
	// another at absolute coordinates
	open bool
	x, y int64
}

// glyphFont is the face's font parsed for embedding, once per face.
func (f *Face) glyphFont() (*pdffont.Font, error) {
	f.glyphOnce.Do(func() { f.glyph, f.glyphErr = pdffont.Parse(f.Data, f.Index) })
	return f.glyph, f.glyphErr
}

// textItem writes a text item as glyph codes of its face's subset: one
// string per part, the gaps between parts as TJ adjustments.
func (w *pdfWriter) textItem(it *Item) error {
	pf := w.faces[it.Face]
	if pf == nil {
		return fmt.Errorf("text %q in a font not registered", it.Text)
	}
	b := w.buf[:0]
	ts := &w.text
	if !ts.colorSet || it.Color != ts.color {
		b = appendColor(b, it.Color)
		ts.color, ts.colorSet = it.Color, true
	}
	if it.Spacing != ts.spacing {
		b = strconv.AppendFloat(b, it.Spacing, 'f', 3, 64)
		b = append(b, " Tc\n"...)
		ts.spacing = it.Spacing
	}
	if pf != ts.face || it.Size != ts.size {
		b = append(b, '/')
		b = append(b, pf.name...)
		b = append(b, ' ')
		b = strconv.AppendFloat(b, it.Size, 'f', -1, 64)
		b = append(b, " Tf\n"...)
		ts.face, ts.size = pf, it.Size
	}
	x, y := int64(math.Round(it.X*100)), int64(math.Round((w.doc.Height-it.Y)*100))
	if ts.open {
		b = appendHundredths(b, x-ts.x)
		b = append(b, ' ')
		b = appendHundredths(b, y-ts.y)
	} else {
		b = append(b, "BT "...)
		b = appendHundredths(b, x)
		b = append(b, ' ')
		b = appendHundredths(b, y)
	}
	ts.open, ts.x, ts.y = true, x, y
	b = append(b, " Td ["...)
	parts := it.Parts
	if len(parts) == 0 {
		parts = []string{it.Text}
	}
	tj := tjWriter{b: b, sub: pf.sub}
	if len(it.Parts) == 0 && it.Size > 0 {
		tj.moves, tj.scale = it.Moves, 1000/it.Size
	}
	shaped := it.Spacing == 0 // a letter-spaced (Chinese grid) run keeps its advances
	for i, p := range parts {
		var run *shapedRun
		if shaped && shapeable(p, w.doc.Lang == "zh") {
			// shaped as the layout measured it; Chinese characters keep
			// their advances on the grid
			run = it.Face.shaped(p)
		}
		if run == nil {
			if err := tj.plain(pf, p); err != nil {
				return err
			}
		} else {
			if err := tj.shaped(pf, run); err != nil {
				return err
			}
			if i < len(it.Widths) && it.Size > 0 {
				// where the layout put the end of the part: kerning
				// across the boxes of a part (a word and its hyphen)
				// is absorbed here, so the line ends where it was set
				tj.move(it.Widths[i]*1000/it.Size - run.width)
			}
		}
		if i < len(parts)-1 && i < len(it.Gaps) && it.Size > 0 {
			gap := it.Gaps[i] * 1000 / it.Size
			if g := pf.glyph(' '); g != 0 {
				// a real space between the words, for text extraction and
				// screen readers; the justified gap is its width plus the rest
				if err := tj.glyph(g, []rune{' '}); err != nil {
					return err
				}
				gap -= float64(pf.sub.Font().Advance(g))
			}
			tj.move(gap)
		}
	}
	if it.TrailingSpace {
		if g := pf.glyph(' '); g != 0 {
			tj.drift = 0 // where the part ends does not matter now
			if err := tj.glyph(g, []rune{' '}); err != nil {
				return err
			}
		}
	}
	b, err := tj.end()
	if err != nil {
		return err
	}
	b = append(b, "] TJ"...)
	w.pdf.RawWriteStr(string(b))
	w.buf = b
	return nil
}

// tjWriter writes the array of a TJ operator: strings of glyph codes
// and, between them, moves in thousandths of the font size (positive to
// the right; written negated, as TJ takes them). Moves smaller than a
// thousandth of an em are carried to the next one, so that rounding never
// accumulates. A glyph is written when the next one comes, so that a
// large move back between them (a punctuation mark losing its blank half)
// becomes a narrower width of the first, not an overlap: text extraction
// reads overlapping glyphs as the start of a new line.
type tjWriter struct {
	b     []byte
	sub   *pdffont.Subset
	open  bool    // a hex string is open
	drift float64 // a move not yet written
	// the glyph not yet written, and the text it stands for
	pending bool
	pg      uint16
	ptext   []rune
	// the item's moves (compressed punctuation), by byte of its text, in
	// points times scale; at is the byte of the next glyph's text
	moves []Move
	scale float64
	at    int
}

// narrowAt is the move back (thousandths of an em) from which the glyph
// before it is set narrower instead: more than any kerning pair. Only a
// CFF font's glyph can be (its subset holds a copy of the glyph at the
// narrower advance); a TrueType font's keeps the move.
const narrowAt = 250

// reach applies the moves up to byte at of the item's text.
func (t *tjWriter) reach(at int) {
	for len(t.moves) > 0 && t.moves[0].At <= at {
		t.drift += t.moves[0].By * t.scale
		t.moves = t.moves[1:]
	}
	t.at = at
}

// glyph adds glyph g standing for text, after the moves so far.
func (t *tjWriter) glyph(g uint16, text []rune) error {
	if err := t.flush(true); err != nil {
		return err
	}
	if t.drift <= -0.5 || t.drift >= 0.5 {
		if t.open {
			t.b = append(t.b, ')')
			t.open = false
		}
		// whole thousandths of an em (a hundredth of a point at 10 pt);
		// the rest is carried
		v := math.Round(t.drift)
		t.b = strconv.AppendInt(t.b, int64(-v), 10)
		t.drift -= v
	}
	t.pending, t.pg, t.ptext = true, g, text
	return nil
}

// flush writes the pending glyph, narrower by a large move back that
// follows it when more glyphs follow (next).
func (t *tjWriter) flush(next bool) error {
	if !t.pending {
		return nil
	}
	t.pending = false
	w := t.sub.Font().Advance(t.pg)
	if next && t.drift <= -narrowAt && t.sub.Font().CFF() {
		narrow := min(int(math.Round(-t.drift)), w)
		w -= narrow
		t.drift += float64(narrow)
	}
	c, err := t.sub.CodeWidth(t.pg, t.ptext, w)
	if err != nil {
		return err
	}
	if !t.open {
		t.b = append(t.b, '(')
		t.open = true
	}
	// the code's two bytes in a literal string, escaped where a reader
	// would take them for syntax or a line end
	for _, x := range [2]byte{byte(c >> 8), byte(c)} {
		switch x {
		case '(', ')', '\\':
			t.b = append(t.b, '\\', x)
		case '\r':
			t.b = append(t.b, '\\', 'r')
		case '\n':
			t.b = append(t.b, '\\', 'n')
		default:
			t.b = append(t.b, x)
		}
	}
	return nil
}

func (t *tjWriter) move(v float64) { t.drift += v }

// end writes the last glyph and closes the array; a move after the last
// glyph moves nothing and is dropped.
func (t *tjWriter) end() ([]byte, error) {
	if err := t.flush(false); err != nil {
		return nil, err
	}
	if t.open {
		t.b = append(t.b, ')')
	}
	return t.b, nil
}

// plain writes s glyph by glyph from the character map, each at its
// advance width.
func (t *tjWriter) plain(pf *pdfFace, s string) error {
	base := t.at
	skip := 0 // bytes already drawn as part of a shaped run
	for i, r := range s {
		if i < skip {
			continue
		}
		if r == '—' || r == '…' {
			// a run of "——" or "……", shaped as the layout measured it
			// (one connected glyph where the font has it)
			n := len(string(r))
			end := i + n
			for strings.HasPrefix(s[end:], string(r)) {
				end += n
			}
			if end-i > n {
				if run := pf.face.shaped(s[i:end]); run != nil {
					t.at = base + i
					if err := t.shaped(pf, run); err != nil {
						return err
					}
					skip = end
					continue
				}
			}
		}
		t.reach(base + i)
		if err := t.glyph(pf.glyph(r), []rune{r}); err != nil {
			return err
		}
	}
	t.at = base + len(s)
	return nil
}

// shaped writes a shaped run: each glyph, moved by the difference between
// its shaped advance (kerning) and its width in the font.
func (t *tjWriter) shaped(pf *pdfFace, run *shapedRun) error {
	base := t.at
	font := pf.sub.Font()
	for _, g := range run.glyphs {
		t.reach(base + g.at)
		if err := t.glyph(g.gid, []rune(g.text)); err != nil {
			return err
		}
		t.move(g.adv - float64(font.Advance(g.gid)))
	}
	t.at = base + run.bytes
	return nil
}

// glyph is the glyph of r in the face: the one the layout measured (the
// face's table of the Basic Multilingual Plane), from the font's own
// character map beyond it.
func (pf *pdfFace) glyph(r rune) uint16 {
	if r >= 0 && r <= 0xffff && pf.face.gids != nil {
		return pf.face.gids[r]
	}
	return pf.sub.Font().Glyph(r)
}

// endText notes that the library is about to draw: the fill colour it
// leaves is its own.
func (w *pdfWriter) endText() {
	w.closeText()
	w.text.colorSet = false
}

// closeText ends the open text object, if any: before anything but text
// is drawn, and before a marked-content sequence begins or ends (a
// sequence holds whole text objects or lies inside one).
func (w *pdfWriter) closeText() {
	if w.text.open {
		w.pdf.RawWriteStr("ET")
		w.text.open = false
	}
}

// appendHundredths appends n hundredths as a decimal number with no
// trailing zeros: 5669 as 56.69, -1460 as -14.6, 0 as 0.
func appendHundredths(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/100, 10)
	if f := n % 100; f != 0 {
		b = append(b, '.', byte('0'+f/10))
		if f%10 != 0 {
			b = append(b, byte('0'+f%10))
		}
	}
	return b
}

func appendColor(b []byte, c Color) []byte {
	for _, v := range []uint8{c.R, c.G, c.B} {
		b = strconv.AppendFloat(b, float64(v)/255, 'f', 3, 64)
		b = append(b, ' ')
	}
	return append(b, "rg\n"...)
}

// utf16Text is s as a PDF text string in UTF-16BE with its byte order
// mark, as the library writes bookmark titles verbatim.
func utf16Text(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2, 2+2*len(u))
	b[0], b[1] = 0xfe, 0xff
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return string(b)
}

package typeset

import (
	"fmt"
	"strconv"
	"unicode/utf16"

	"github.com/aceo-project/aceo/pipeline/pdffont"
)

// textState is the text state in effect within a run of text items: the
// run is one q ... Q group, so that its fill colour and character spacing
// never leak into the library's drawing of rules and rectangles.
type textState struct {
	open    bool
	face    *pdfFace
	size    float64
	color   Color
	spacing float64
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
	fresh := !ts.open
	if fresh {
		// the fill colour in effect is the library's: always set it
		b = append(b, "q\n"...)
		*ts = textState{open: true}
	}
	if fresh || it.Color != ts.color {
		b = appendColor(b, it.Color)
		ts.color = it.Color
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
	b = append(b, "BT "...)
	b = strconv.AppendFloat(b, it.X, 'f', 2, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, w.doc.Height-it.Y, 'f', 2, 64)
	b = append(b, " Td ["...)
	parts := it.Parts
	if len(parts) == 0 {
		parts = []string{it.Text}
	}
	var err error
	for i, p := range parts {
		if b, err = w.appendGlyphs(b, pf, p); err != nil {
			return err
		}
		if i < len(parts)-1 && i < len(it.Gaps) && it.Size > 0 && it.Gaps[i] != 0 {
			// TJ numbers are thousandths of the font size, to the left
			b = strconv.AppendFloat(b, -it.Gaps[i]*1000/it.Size, 'f', 1, 64)
		}
	}
	b = append(b, "] TJ ET"...)
	w.pdf.RawWriteStr(string(b))
	w.buf = b
	return nil
}

// appendGlyphs appends s as a hex string of its glyphs' codes.
func (w *pdfWriter) appendGlyphs(b []byte, pf *pdfFace, s string) ([]byte, error) {
	const hex = "0123456789ABCDEF"
	b = append(b, '<')
	font := pf.sub.Font()
	for _, r := range s {
		g := uint16(0)
		if r >= 0 && r <= 0xffff && pf.face.gids != nil {
			g = pf.face.gids[r]
		} else {
			g = font.Glyph(r)
		}
		c, err := pf.sub.Code(g, []rune{r})
		if err != nil {
			return nil, err
		}
		b = append(b, hex[c>>12], hex[c>>8&15], hex[c>>4&15], hex[c&15])
	}
	return append(b, '>'), nil
}

// endText closes a run of text items.
func (w *pdfWriter) endText() {
	if w.text.open {
		w.pdf.RawWriteStr("Q")
		w.text = textState{}
	}
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

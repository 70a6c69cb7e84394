// aceo patch: see PATCHES.md.

package fpdf

import (
	"strconv"
	"strings"
)

// TextRuns prints the strings parts on one baseline, the first with its
// left end at (x, y). After each part but the last, the pen moves right by
// the width of the part in the current font plus gaps[i] user units, so a
// justified line of words is one text operation (a TJ array) rather than
// one per word. Only UTF-8 fonts, without underline or strike-out, are
// supported; for other fonts the parts are printed with Text.
func (f *Fpdf) TextRuns(x, y float64, parts []string, gaps []float64) {
	if !f.isCurrentUTF8 || f.isRTL || f.underline || f.strikeout {
		for i, p := range parts {
			f.Text(x, y, p)
			x += f.GetStringWidth(p)
			if i < len(gaps) {
				x += gaps[i]
			}
		}
		return
	}
	var b strings.Builder
	b.WriteString("BT ")
	b.WriteString(strconv.FormatFloat(x*f.k, 'f', 2, 64))
	b.WriteByte(' ')
	b.WriteString(strconv.FormatFloat((f.h-y)*f.k, 'f', 2, 64))
	b.WriteString(" Td [")
	for i, p := range parts {
		for _, uni := range p {
			f.currentFont.usedRunes[int(uni)] = int(uni)
		}
		b.WriteByte('(')
		b.WriteString(f.escape(utf8toutf16(p, false)))
		b.WriteByte(')')
		if i < len(parts)-1 && i < len(gaps) && f.fontSizePt > 0 {
			// TJ numbers are thousandths of the font size, to the left
			b.WriteString(strconv.FormatFloat(-gaps[i]*f.k*1000/f.fontSizePt, 'f', 1, 64))
		}
	}
	b.WriteString("] TJ ET")
	s := b.String()
	if f.colorFlag {
		s = "q " + f.color.text.str + " " + s + " Q"
	}
	f.out(s)
}

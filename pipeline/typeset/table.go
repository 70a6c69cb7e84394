package typeset

import (
	"math"
	"regexp"
	"strings"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

type cellSet struct {
	elems []elem
	min   float64 // widest unbreakable piece
	max   float64 // all on one line
}

// measureCell shapes a cell and finds its minimum and natural widths.
func (e *engine) measureCell(spans []ms.Span, ts textStyle) cellSet {
	el := e.sc.shape(e.pieces(spans, ts), e.zh, e.miss)
	c := cellSet{elems: el}
	run := 0.0
	for _, x := range el {
		switch x.kind {
		case eBox:
			run += x.w
			c.max += x.w
		case eGlue:
			c.max += x.w
			if x.nobreak {
				run += x.w
				continue
			}
			run = 0
		default:
			run = 0
		}
		c.min = math.Max(c.min, run)
	}
	if e.zh {
		// Chinese may break between any two characters, but a short cell
		// is a word or two ("已举行", "印度尼西亚"): keep up to six
		// characters (and a mark) on one line (a country name, a state) before other
		// columns get wider.
		c.min = math.Max(c.min, math.Min(c.max, 6.5*ts.size))
	}
	return c
}

// numberRE matches a quantity as tables print it: an optional sign,
// digits with optional thousands separators, decimals, a percent sign.
// Reference numbers (4.2.6) and ranges (2012-2013) are not quantities.
var numberRE = regexp.MustCompile(`^[-−+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s?%?$`)

// flagMarkRE matches the flag marks a generated table puts after a value
// ("57.2\u00a0a", "50.9\u00a0a\u00a0b").
var flagMarkRE = regexp.MustCompile(`^(.*\S)((?:\x{00a0}[a-z])+)$`)

// splitMarks takes the flag marks off the numeric cells of rows: the
// value stays in the cell, the marks are set apart in a slot of their own
// at the column's right, so that the values stay aligned.
func splitMarks(rows []ms.Row) ([]ms.Row, [][]string) {
	out := make([]ms.Row, len(rows))
	marks := make([][]string, len(rows))
	for r, row := range rows {
		out[r] = row
		marks[r] = make([]string, len(row))
		for i, cell := range row {
			if len(cell) != 1 {
				continue
			}
			m := flagMarkRE.FindStringSubmatch(cell[0].Text)
			if m == nil || !numberRE.MatchString(strings.TrimSpace(m[1])) {
				continue
			}
			if out[r] == nil || &out[r][0] == &row[0] {
				out[r] = append(ms.Row(nil), row...)
			}
			sp := cell[0]
			sp.Text = m[1]
			out[r][i] = []ms.Span{sp}
			marks[r][i] = strings.ReplaceAll(m[2], "\u00a0", " ")[1:]
		}
	}
	return out, marks
}

// placeholderRE matches the marks that stand for a missing value.
var placeholderRE = regexp.MustCompile(`^(\.\.|–|—|-|n/a)$`)

// groupRow reports whether r is a group row: a single cell in a table of
// several columns, set across the whole table as the heading of the rows
// after it (Markdown tables always have every cell, so only generated
// tables have these).
func groupRow(r ms.Row, ncol int) bool { return len(r) == 1 && ncol > 1 }

func numeric(spans []ms.Span) bool {
	return numberRE.MatchString(strings.TrimSpace(ms.PlainText(spans)))
}

// table lays out a GFM table: a caption, header rows repeated on every page
// the table spans, rows that never split, columns sized from their content
// and, for tables too wide for the page, a smaller type size down to the
// template's minimum before words are broken.
func (e *engine) table(ch *ms.Chapter, t *ms.Table, bx box) []*vitem {
	dest := t.Label
	if dest == "" {
		dest = "tbl#" + t.Number
	}
	numbered := t.Number != "" // a table without a caption is neither numbered nor listed
	if numbered {
		e.tables = append(e.tables, listEntry{number: t.Number, title: ms.PlainText(t.Caption), dest: dest})
	}
	ncol := len(t.Align)
	for _, r := range append(append([]ms.Row{}, t.Header...), t.Rows...) {
		if len(r) > ncol {
			ncol = len(r)
		}
	}
	pad := 3.5
	size := e.t.Sizes.Table
	var head, body [][]cellSet
	var widths []float64
	rowsIn, marks := splitMarks(t.Rows)
	for r := range t.Values {
		// a table made from a dataset says which cells hold numbers and
		// what their marks are: no guessing from the text
		for c, v := range t.Values[r] {
			if v != nil && v.Marks != "" && r < len(marks) && c < len(marks[r]) {
				marks[r][c] = v.Marks
			}
		}
	}
	markW := make([]float64, ncol) // each column's slot for flag marks
	var markLines [][][]line       // by body row and column
	for {
		// the marks, at this size: the widest sets its column's slot
		markLines = make([][][]line, len(marks))
		for c := range markW {
			markW[c] = 0
		}
		for r, ms_ := range marks {
			markLines[r] = make([][]line, len(ms_))
			for c, m := range ms_ {
				if m == "" || c >= ncol {
					continue
				}
				ls := e.textLines("\u2009"+m, "sans", size, e.t.Color("text"), 1000)
				if len(ls) > 0 {
					markLines[r][c] = ls
					markW[c] = math.Max(markW[c], ls[0].natural)
				}
			}
		}
		ts := e.sansStyle(size)
		hs := e.headStyle(size, e.t.Color("text"))
		head, body = nil, nil
		mins := make([]float64, ncol)
		maxs := make([]float64, ncol)
		add := func(rows []ms.Row, st textStyle, header bool) [][]cellSet {
			var out [][]cellSet
			for _, r := range rows {
				cells := make([]cellSet, ncol)
				if !header && groupRow(r, ncol) {
					// a group row spans the table: it does not size columns
					cells[0] = e.measureCell(r[0], e.headStyle(size, e.t.Color("accent")))
					out = append(out, cells[:1])
					continue
				}
				for i := 0; i < ncol; i++ {
					if i < len(r) {
						cells[i] = e.measureCell(r[i], st)
					}
					mins[i] = math.Max(mins[i], cells[i].min+2*pad+markW[i])
					// header cells may wrap: they do not widen a column
					// beyond what its body needs
					if !header {
						maxs[i] = math.Max(maxs[i], cells[i].max+2*pad+markW[i])
					}
				}
				out = append(out, cells)
			}
			return out
		}
		head = add(t.Header, hs, true)
		body = add(rowsIn, ts, false)
		for i := range maxs {
			maxs[i] = math.Max(maxs[i], mins[i])
		}
		sumMin, sumMax := 0.0, 0.0
		for i := range mins {
			sumMin += mins[i]
			sumMax += maxs[i]
		}
		W := bx.measure
		if sumMin > W && size > e.t.Sizes.TableMin {
			size = math.Max(e.t.Sizes.TableMin, size*W/sumMin)
			if size-e.t.Sizes.TableMin < 0.05 {
				size = e.t.Sizes.TableMin
			}
			continue
		}
		widths = make([]float64, ncol)
		switch {
		case sumMax <= W:
			// Room to spare: the first (label) column takes half of it, the
			// others share the rest, so that figures stay near their labels.
			extra := W - sumMax
			for i := range widths {
				widths[i] = maxs[i] + extra/2/float64(ncol)
			}
			widths[0] += extra / 2
		case sumMin <= W:
			for i := range widths {
				widths[i] = mins[i] + (W-sumMin)*(maxs[i]-mins[i])/(sumMax-sumMin)
			}
		default:
			for i := range widths {
				widths[i] = W * mins[i] / sumMin
			}
		}
		break
	}
	// alignment: as written, else right for numeric columns
	aligns := make([]align, ncol)
	for i := 0; i < ncol; i++ {
		a := ms.AlignDefault
		if i < len(t.Align) {
			a = t.Align[i]
		}
		switch a {
		case ms.AlignRight:
			aligns[i] = alignRight
		case ms.AlignCenter:
			aligns[i] = alignCenter
		case ms.AlignLeft:
			aligns[i] = alignLeft
		default:
			num, all := 0, 0
			for ri, r := range rowsIn {
				if i < len(r) && len(r[i]) > 0 && !placeholderRE.MatchString(strings.TrimSpace(ms.PlainText(r[i]))) {
					all++
					typed := ri < len(t.Values) && i < len(t.Values[ri]) && t.Values[ri][i] != nil
					if typed || numeric(r[i]) {
						num++
					}
				}
			}
			aligns[i] = alignLeft
			if all > 0 && num*2 > all {
				aligns[i] = alignRight
			}
		}
	}
	lead := size * 1.3
	rowItem := func(cells []cellSet, header bool, stripe bool, marks [][]line) *vitem {
		lines := make([][]line, ncol)
		n := 1
		group := len(cells) == 1 && ncol > 1
		for i, c := range cells {
			w := widths[i]
			if group {
				w = bx.measure
			}
			lines[i] = e.sc.breakLines(c.elems, w-2*pad, 0, true)
			if len(lines[i]) > n {
				n = len(lines[i])
			}
		}
		h := float64(n)*lead + 2*pad
		it := &vitem{h: h}
		it.draw = func(p *Page, x, y float64) {
			x += bx.indent
			if group {
				p.rule(x, y, x+bx.measure, y, 0.4, e.t.Color("rule"))
				for _, ln := range lines[0] {
					ln.target = bx.measure - 2*pad
					drawLine(p, ln, x+pad, y+pad+(lead-size)/2+size*0.8, alignLeft)
					y += lead
				}
				return
			}
			if header {
				p.rect(x, y, bx.measure, h, e.t.Color("table_head"))
			} else if stripe {
				p.rect(x, y, bx.measure, h, e.t.Color("shade"))
			}
			cx := x
			for i := range cells {
				yy := y + pad
				slot := 0.0 // the marks' slot, right of right-aligned values
				if !header && aligns[i] == alignRight {
					slot = markW[i]
				}
				for _, ln := range lines[i] {
					ln.target = widths[i] - 2*pad - slot
					drawLine(p, ln, cx+pad, yy+(lead-size)/2+size*0.8, aligns[i])
					yy += lead
				}
				if i < len(marks) && len(marks[i]) > 0 {
					mx := cx + widths[i] - pad - slot
					if slot == 0 { // a column not right-aligned: after the value
						mx = cx + pad + lines[i][len(lines[i])-1].natural
					}
					drawLine(p, marks[i][0], mx, yy-lead+(lead-size)/2+size*0.8, alignLeft)
				}
				cx += widths[i]
			}
			if header {
				p.rule(x, y+h, x+bx.measure, y+h, 0.6, e.t.Color("accent"))
			}
		}
		return it
	}
	var items []*vitem
	if numbered {
		caps := e.caption("table", t.Number, t.Caption, bx)
		items = e.paraLines(caps, bx.indent, 0, e.t.Sizes.Caption*1.35, e.paraSpace()+6, alignLeft, nil)
	}
	if len(items) == 0 {
		// no caption: an empty item carries the space above and the
		// destination (every item draws, even if nothing)
		items = []*vitem{{before: e.paraSpace() + 6, spacing: true, draw: func(*Page, float64, float64) {}}}
	}
	for _, c := range items {
		c.keep = true
	}
	items[0].dests = []string{dest}
	items[len(items)-1].h += 3
	var heads []*vitem
	for _, r := range head {
		h := rowItem(r, true, false, nil)
		h.keep = true
		heads = append(heads, h)
	}
	// the header block repeated on continuation pages
	var rep *vitem
	if len(heads) > 0 {
		var contText []line
		if numbered {
			contText = e.caption("table", t.Number, []ms.Span{{Text: e.t.Label(e.lang, "continued")}}, bx)
		}
		capH := float64(len(contText)) * e.t.Sizes.Caption * 1.35
		total := capH + 3
		for _, h := range heads {
			total += h.h
		}
		rep = &vitem{h: total, keep: true}
		rep.draw = func(p *Page, x, y float64) {
			for _, ln := range contText {
				drawLine(p, ln, x+bx.indent, y+e.t.Sizes.Caption*1.1, alignLeft)
				y += e.t.Sizes.Caption * 1.35
			}
			y += 3
			p.rule(x+bx.indent, y, x+bx.indent+bx.measure, y, 1, e.t.Color("accent"))
			for _, h := range heads {
				h.draw(p, x, y)
				y += h.h
			}
		}
	}
	top := &vitem{h: 0, keep: true, spacing: true, draw: func(p *Page, x, y float64) {
		p.rule(x+bx.indent, y, x+bx.indent+bx.measure, y, 1, e.t.Color("accent"))
	}}
	items = append(items, top)
	items = append(items, heads...)
	stripe := false
	for i, r := range body {
		group := len(r) == 1 && ncol > 1
		it := rowItem(r, false, stripe, markLines[i])
		stripe = !stripe && !group
		it.head = rep
		// no row alone under the header or on a continuation page: the
		// first two rows stay together, and the last two; a group row
		// stays with the row after it
		it.keep = i < len(body)-1 && (i == 0 || i == len(body)-2 || group)
		items = append(items, it)
	}
	last := items[len(items)-1]
	d := last.draw
	last.draw = func(p *Page, x, y float64) {
		d(p, x, y)
		p.rule(x+bx.indent, y+last.h, x+bx.indent+bx.measure, y+last.h, 1, e.t.Color("accent"))
	}
	// notes and source, small, under the table, kept with its last row
	if len(t.Notes) > 0 {
		last.keep = true
		size := e.t.Sizes.Caption - 1
		for i, n := range t.Notes {
			ls := e.raggedLines(e.pieces(n, e.sansStyle(size)), bx.measure)
			its := e.paraLines(ls, bx.indent, 0, size*1.35, 0, alignLeft, nil)
			if i == 0 && len(its) > 0 {
				its[0].before = 3
			}
			for _, it := range its[:len(its)-1] {
				it.keep = true
			}
			if i < len(t.Notes)-1 {
				its[len(its)-1].keep = true
			}
			items = append(items, its...)
		}
	}
	items = append(items, &vitem{h: e.paraSpace(), draw: func(*Page, float64, float64) {}})
	return items
}

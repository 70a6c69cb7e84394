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
	tl := e.layoutTable(t, bx)
	var items []*vitem
	if numbered {
		caps := e.caption("table", t.Number, t.Caption, bx)
		items = e.paraLines(caps, bx.indent, 0, e.t.Sizes.Caption*1.35, e.paraSpace()+6, alignLeft, nil)
		tagItems(items, e.newNode("Caption"))
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
	for _, r := range tl.head {
		h := tl.row(r, true, false, nil)
		h.keep = true
		heads = append(heads, h)
	}
	rep := tl.repeatedHead(heads, numbered)
	top := &vitem{h: 0, keep: true, spacing: true, draw: func(p *Page, x, y float64) {
		p.rule(x+bx.indent, y, x+bx.indent+bx.measure, y, 1, e.t.Color("accent"))
	}}
	items = append(items, top)
	items = append(items, heads...)
	stripe := false
	for i, r := range tl.body {
		group := len(r) == 1 && tl.ncol > 1
		it := tl.row(r, false, stripe, tl.markLines[i])
		stripe = !stripe && !group
		it.head, it.row = rep, true
		// no table stranded at a page foot: the first minRowsBeforeBreak
		// rows stay together (with the header), and the last two; a
		// group row stays with the row after it
		it.keep = i < len(tl.body)-1 && (i < minRowsBeforeBreak-1 || i == len(tl.body)-2 || group)
		items = append(items, it)
	}
	last := items[len(items)-1]
	d := last.draw
	last.draw = func(p *Page, x, y float64) {
		d(p, x, y)
		p.rule(x+bx.indent, y+last.h, x+bx.indent+bx.measure, y+last.h, 1, e.t.Color("accent"))
	}
	notes := tl.notes(last)
	// the notes and source: a paragraph after the table
	var outer *StructNode
	if e.node != nil {
		outer = e.node.Parent
	}
	tagItems(notes, &StructNode{Role: "P", Parent: outer})
	items = append(items, notes...)
	items = append(items, &vitem{h: e.paraSpace(), draw: func(*Page, float64, float64) {}})
	tagItems(items, Artifact) // the rules above and below
	return items
}

// minRowsBeforeBreak is the fewest body rows a table leaves before a page
// break: with fewer room at the page's foot, it starts on the next page.
const minRowsBeforeBreak = 4

// tableLayout is a table measured for its box: the size it is set in,
// its cells, its columns' widths and alignments, and the slots of its
// flag marks.
type tableLayout struct {
	e         *engine
	t         *ms.Table
	bx        box
	ncol      int
	pad       float64
	size      float64
	lead      float64
	rowsIn    []ms.Row
	head      [][]cellSet
	body      [][]cellSet
	widths    []float64
	markW     []float64  // each column's slot for flag marks
	markLines [][][]line // by body row and column
	aligns    []align
}

// layoutTable measures t for bx: the size shrinks (down to the
// template's smallest) until the columns fit.
func (e *engine) layoutTable(t *ms.Table, bx box) *tableLayout {
	tl := &tableLayout{e: e, t: t, bx: bx, ncol: len(t.Align), pad: 3.5, size: e.t.Sizes.Table}
	for _, r := range append(append([]ms.Row{}, t.Header...), t.Rows...) {
		if len(r) > tl.ncol {
			tl.ncol = len(r)
		}
	}
	var marks [][]string
	tl.rowsIn, marks = splitMarks(t.Rows)
	for r := range t.Values {
		// a table made from a dataset says which cells hold numbers and
		// what their marks are: no guessing from the text
		for c, v := range t.Values[r] {
			if v != nil && v.Marks != "" && r < len(marks) && c < len(marks[r]) {
				marks[r][c] = v.Marks
			}
		}
	}
	tl.markW = make([]float64, tl.ncol)
	for !tl.measure(marks) {
	}
	tl.aligns = tl.alignments()
	tl.lead = tl.size * 1.3
	return tl
}

// measure measures the marks and cells at the current size and sets the
// columns' widths; it returns false, having made the size smaller, when
// the columns do not fit and the size can shrink.
func (tl *tableLayout) measure(marks [][]string) bool {
	e, t, ncol, pad, size := tl.e, tl.t, tl.ncol, tl.pad, tl.size
	markW := tl.markW
	// the marks, at this size: the widest sets its column's slot
	tl.markLines = make([][][]line, len(marks))
	for c := range markW {
		markW[c] = 0
	}
	for r, ms_ := range marks {
		tl.markLines[r] = make([][]line, len(ms_))
		for c, m := range ms_ {
			if m == "" || c >= ncol {
				continue
			}
			ls := e.textLines("\u2009"+m, "sans", size, e.t.Color("text"), 1000)
			if len(ls) > 0 {
				tl.markLines[r][c] = ls
				markW[c] = math.Max(markW[c], ls[0].natural)
			}
		}
	}
	ts := e.sansStyle(size)
	hs := e.headStyle(size, e.t.Color("text"))
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
	tl.head = add(t.Header, hs, true)
	tl.body = add(tl.rowsIn, ts, false)
	for i := range maxs {
		maxs[i] = math.Max(maxs[i], mins[i])
	}
	sumMin, sumMax := 0.0, 0.0
	for i := range mins {
		sumMin += mins[i]
		sumMax += maxs[i]
	}
	W := tl.bx.measure
	if sumMin > W && size > e.t.Sizes.TableMin {
		tl.size = math.Max(e.t.Sizes.TableMin, size*W/sumMin)
		if tl.size-e.t.Sizes.TableMin < 0.05 {
			tl.size = e.t.Sizes.TableMin
		}
		return false
	}
	widths := make([]float64, ncol)
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
	tl.widths = widths
	return true
}

// alignments aligns each column as written, else right for numeric
// columns.
func (tl *tableLayout) alignments() []align {
	t := tl.t
	aligns := make([]align, tl.ncol)
	for i := 0; i < tl.ncol; i++ {
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
			for ri, r := range tl.rowsIn {
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
	return aligns
}

// row lays out one row of cells: a header row, a body row (striped or
// not, with its flag marks), or a group row spanning the table.
func (tl *tableLayout) row(cells []cellSet, header bool, stripe bool, marks [][]line) *vitem {
	e, bx, pad, lead, size := tl.e, tl.bx, tl.pad, tl.lead, tl.size
	widths, aligns, markW := tl.widths, tl.aligns, tl.markW
	lines := make([][]line, tl.ncol)
	n := 1
	group := len(cells) == 1 && tl.ncol > 1
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
	// a row of the table's structure, a cell per column: TH (scope
	// Column) in the header, TD in the body
	tr := e.newNode("TR")
	cellNodes := make([]*StructNode, len(cells))
	for i := range cellNodes {
		cellNodes[i] = &StructNode{Role: "TD", Parent: tr}
		if header {
			cellNodes[i].Role, cellNodes[i].Scope = "TH", "Column"
		}
	}
	it := &vitem{h: h, tag: Artifact} // backgrounds and rules
	it.draw = func(p *Page, x, y float64) {
		x += bx.indent
		if group {
			p.rule(x, y, x+bx.measure, y, 0.4, e.t.Color("rule"))
			from := len(p.Items)
			defer tagDrawn(p, from, cellNodes[0])
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
			from := len(p.Items)
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
			tagDrawn(p, from, cellNodes[i])
			cx += widths[i]
		}
		if header {
			p.rule(x, y+h, x+bx.measure, y+h, 0.6, e.t.Color("accent"))
		}
	}
	return it
}

// repeatedHead is the header block repeated on continuation pages, under
// a "continued" caption; nil for a table without a header.
func (tl *tableLayout) repeatedHead(heads []*vitem, numbered bool) *vitem {
	if len(heads) == 0 {
		return nil
	}
	e, bx := tl.e, tl.bx
	var contText []line
	if numbered {
		contText = e.caption("table", tl.t.Number, []ms.Span{{Text: e.t.Label(e.lang, "continued")}}, bx)
	}
	capH := float64(len(contText)) * e.t.Sizes.Caption * 1.35
	total := capH + 3
	for _, h := range heads {
		total += h.h
	}
	rep := &vitem{h: total, keep: true}
	rep.draw = func(p *Page, x, y float64) {
		// repeated on a continuation page: furniture, not content read twice
		from := len(p.Items)
		defer func() {
			for i := from; i < len(p.Items); i++ {
				p.Items[i].Tag = Artifact
			}
		}()
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
	return rep
}

// notes lays out the notes and source, small, under the table, kept with
// its last row (last).
func (tl *tableLayout) notes(last *vitem) []*vitem {
	e, bx := tl.e, tl.bx
	var items []*vitem
	if len(tl.t.Notes) == 0 {
		return nil
	}
	last.keep = true
	size := e.t.Sizes.Caption - 1
	for i, n := range tl.t.Notes {
		ls := e.raggedLines(e.pieces(n, e.sansStyle(size)), bx.measure)
		its := e.paraLines(ls, bx.indent, 0, size*1.35, 0, alignLeft, nil)
		if i == 0 && len(its) > 0 {
			its[0].before = 3
		}
		for _, it := range its[:len(its)-1] {
			it.keep = true
		}
		if i < len(tl.t.Notes)-1 {
			its[len(its)-1].keep = true
		}
		items = append(items, its...)
	}
	return items
}

// tableRows counts a body row of the table with repeated header head on
// page n.
func (e *engine) tableRows(head *vitem, n int) {
	if e.rows == nil {
		e.rows = map[*vitem]map[int]int{}
	}
	if e.rows[head] == nil {
		e.rows[head] = map[int]int{}
	}
	e.rows[head][n]++
}

// tableStats counts the tables laid out that break across pages, and
// those that leave fewer than minRowsBeforeBreak rows before the break.
func (e *engine) tableStats() TableStats {
	var s TableStats
	for _, pages := range e.rows {
		if len(pages) < 2 {
			continue
		}
		s.Split++
		first := 1 << 30
		for p := range pages {
			first = min(first, p)
		}
		if pages[first] < minRowsBeforeBreak {
			s.Stranded++
		}
	}
	return s
}

package typeset

import (
	"fmt"
	"math"
	"strings"

	"github.com/aceo-project/aceo/pipeline/publication"
)

// roman returns n as lower-case roman numerals.
func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

func (e *engine) other() string {
	if e.lang == "zh" {
		return "en"
	}
	return "zh"
}

// textLines sets plain text in one role.
func (e *engine) textLines(s, role string, size float64, c Color, measure float64) []line {
	return e.raggedLines([]piece{{text: s, stack: e.st[role], size: size, color: c}}, measure)
}

// cover draws the cover page: title, subtitle, the title in the other
// language, edition and year, and the sample notice in both languages.
func (e *engine) cover() *Page {
	p := &Page{index: 1, front: true, noHead: true}
	pub := e.ed.Pub
	x := e.left(1)
	acc := e.t.Color("accent")
	white := Color{255, 255, 255}
	// a coloured field behind the title block
	p.rect(0, 0, e.pageW, e.pageH*0.56, acc)
	p.rect(0, e.pageH*0.56, e.pageW, 5, e.t.Color("accent2"))
	e.where = pub.File
	y := e.top + 4
	for _, ln := range e.textLines(strings.ToUpper(pub.Publisher.In(e.lang)), "sans-bold", 9, white, e.width) {
		drawLine(p, ln, x, y+9, alignLeft)
		y += 13
	}
	y = e.top + 150
	ts := e.t.Sizes.CoverTitle
	for _, ln := range e.textLines(pub.Title.In(e.lang), "sans-bold", ts, white, e.width) {
		drawLine(p, ln, x, y+ts, alignLeft)
		y += ts * 1.22
	}
	y += 10
	ss := e.t.Sizes.CoverSubject
	sub := pub.Subtitle.In(e.lang)
	if e.ed.Summary {
		sub = e.t.Label(e.lang, "summary_for_policymakers")
	}
	if s := sub; s != "" {
		for _, ln := range e.textLines(s, "sans", ss, white, e.width) {
			drawLine(p, ln, x, y+ss, alignLeft)
			y += ss * 1.35
		}
	}
	y += 18
	p.rule(x, y, x+60, y, 1.2, white)
	y += 10
	for _, ln := range e.textLines(pub.Title.In(e.other()), "sans", 13, Color{220, 236, 230}, e.width) {
		drawLine(p, ln, x, y+13, alignLeft)
		y += 18
	}
	// edition and year, below the field
	y = e.pageH*0.56 + 34
	ed := pub.Edition.In(e.lang)
	if ed != "" {
		ed += " · "
	}
	for _, ln := range e.textLines(fmt.Sprintf("%s%d", ed, pub.Year), "sans-bold", 13, e.t.Color("heading"), e.width) {
		drawLine(p, ln, x, y+13, alignLeft)
		y += 18
	}
	// the notice, in both languages, in a framed box
	var notice []string
	for _, l := range []string{e.lang, e.other()} {
		if s := pub.Notice[l]; s != "" {
			notice = append(notice, s)
		}
	}
	if len(notice) > 0 {
		y += 24
		var lines []line
		for _, s := range notice {
			lines = append(lines, e.textLines(s, "sans-bold", 10.5, e.t.Color("warn"), e.width-24)...)
		}
		h := float64(len(lines))*15 + 14
		p.Items = append(p.Items, Item{Kind: RuleItem, X: x, Y: y, W: 0, H: h, LW: 3, Color: e.t.Color("warn")})
		yy := y + 7
		for _, ln := range lines {
			drawLine(p, ln, x+12, yy+11, alignLeft)
			yy += 15
		}
	}
	// publisher line at the foot of the text area
	foot := e.textLines(e.t.Label(e.lang, "cover_footer"), "sans", 9, e.t.Color("muted"), e.width)
	yy := e.bottom - float64(len(foot))*12
	for _, ln := range foot {
		drawLine(p, ln, x, yy+9, alignLeft)
		yy += 12
	}
	return p
}

// imprint is the page behind the cover: citation, disclaimer, copyright.
func (e *engine) imprint(n int) *Page {
	p := &Page{index: n, front: true, noHead: true}
	pub := e.ed.Pub
	x := e.left(n)
	type para struct {
		head, text string
	}
	paras := []para{
		{"", pub.Title.In(e.lang)},
		{e.t.Label(e.lang, "suggested_citation"), pub.Citation.In(e.lang)},
		{e.t.Label(e.lang, "disclaimer"), pub.Disclaimer.In(e.lang)},
		{"", pub.Copyright.In(e.lang)},
		{e.t.Label(e.lang, "publisher"), strings.TrimSpace(pub.Publisher.In(e.lang) + "\n" + pub.Address.In(e.lang))},
		{"", imprintIDs(pub, e.lang)},
		{e.t.Label(e.lang, "licence"), licenceText(pub, e.t.Label(e.lang, "licence_text"))},
		{"", pub.Notice.In(e.lang)},
		{"", fmt.Sprintf(e.t.Label(e.lang, "typeset_with"), pub.Date)},
	}
	size := 8.5
	lead := size * 1.45
	var blocks [][]line
	var heads [][]line
	for _, pa := range paras {
		if pa.text == "" {
			continue
		}
		var h []line
		if pa.head != "" {
			h = e.textLines(pa.head, "sans-bold", size, e.t.Color("heading"), e.width*0.75)
		}
		heads = append(heads, h)
		role := "serif"
		if len(blocks) == 0 {
			role = "sans-bold"
		}
		blocks = append(blocks, e.textLines(pa.text, role, size, e.t.Color("text"), e.width*0.75))
	}
	total := 0.0
	for i := range blocks {
		total += float64(len(blocks[i])+len(heads[i]))*lead + 10
	}
	y := e.bottom - total
	for i := range blocks {
		for _, ln := range heads[i] {
			drawLine(p, ln, x, y+size, alignLeft)
			y += lead
		}
		for _, ln := range blocks[i] {
			drawLine(p, ln, x, y+size, justify)
			y += lead
		}
		y += 10
	}
	return p
}

// listItems lays out a contents-style list: entries with numbers, dot
// leaders and page numbers, linked to their destinations.
func (e *engine) listItems(title, dest string, entries []listEntry, pageOf func(string) string) []*vitem {
	tsz := e.t.Sizes.H1 + 3
	head := &vitem{h: tsz*1.3 + 16, pageBreak: true, dests: []string{dest},
		outline: []OutlineEntry{{Title: title, Level: 0}}}
	tl := e.textLines(title, "sans-bold", tsz, e.t.Color("heading"), e.width)
	head.draw = func(p *Page, x, y float64) {
		p.rect(x, y, 36, 4, e.t.Color("accent"))
		drawLine(p, tl[0], x, y+14+tsz, alignLeft)
	}
	head.tag = &StructNode{Role: "H1"}
	toc := &StructNode{Role: "TOC"}
	items := []*vitem{head}
	for _, en := range entries {
		en := en
		size, role, before, indent := e.body*0.95, "serif", 2.0, 0.0
		numW := e.body * 2.2
		switch en.level {
		case 0:
			switch {
			case en.number == "" && en.chapter:
				// an unnumbered chapter (foreword, glossary): at the
				// margin, set like a chapter
				role, before, size, numW = "sans-bold", 9, e.body, 0
			case en.number != "" && len(en.number) <= 2:
				role, before = "sans-bold", 9
				size = e.body
			}
		case 1:
			indent = numW
			numW = e.body * 2.6
		case 2:
			indent = e.body*2.2 + e.body*2.6
			numW = e.body * 3.2
			size = e.body * 0.9
		}
		pageW := e.body * 2.6
		textW := e.width - indent - numW - pageW - 8
		ls := e.textLines(en.title, role, size, e.t.Color("text"), textW)
		if len(ls) == 0 {
			// an entry without a title still gets its line (its number)
			ls = e.textLines("\u00a0", role, size, e.t.Color("text"), textW)
			if len(ls) == 0 {
				continue
			}
		}
		numL := e.textLines(en.number, role, size, e.t.Color("accent"), numW)
		lead := size * 1.45
		it := &vitem{h: float64(len(ls)) * lead, before: before, tag: &StructNode{Role: "TOCI", Parent: toc}}
		it.draw = func(p *Page, x, y float64) {
			base := y + (lead-size)/2 + size*0.82
			entryFrom := len(p.Items)
			// a space after the number and after the title, for the text
			// read from the structure (the gap and leaders are not text)
			spaced := func() {
				if n := len(p.Items); n > 0 && p.Items[n-1].Kind == TextItem {
					p.Items[n-1].TrailingSpace = true
				}
			}
			if len(numL) > 0 {
				drawLine(p, numL[0], x+indent, base, alignLeft)
				spaced()
			}
			for i, ln := range ls {
				drawLine(p, ln, x+indent+numW, base+float64(i)*lead, alignLeft)
				spaced()
			}
			last := ls[len(ls)-1]
			lastBase := base + float64(len(ls)-1)*lead
			pg := pageOf(en.dest)
			pl := e.textLines(pg, role, size, e.t.Color("text"), pageW)
			pw := 0.0
			if len(pl) > 0 {
				pw = pl[0].natural
				drawLine(p, pl[0], x+e.width-pw, lastBase, alignLeft)
			}
			from := len(p.Items)
			e.leaders(p, x, x+indent+numW+last.natural+4, x+e.width-pw-4, lastBase, size)
			for i := from; i < len(p.Items); i++ {
				p.Items[i].Tag = Artifact // dot leaders are not read
			}
			for i := entryFrom; i < from; i++ {
				if p.Items[i].Kind == TextItem {
					p.Items[i].Link = "#" + en.dest // the entry's text is its link's
				}
			}
			p.Items = append(p.Items, Item{Kind: LinkItem, X: x, Y: y, W: e.width, H: it.h, Dest: en.dest})
		}
		items = append(items, it)
	}
	return items
}

// leaders draws dot leaders from start to end on a grid that starts at x,
// so that the dots of every entry line up down the page. They are one text
// item: the dots with equal gaps.
func (e *engine) leaders(p *Page, x, start, end, baseline, size float64) {
	const step = 4.5
	face, _ := e.st["serif"].FaceFor('.')
	dw := face.Advance('.') * size / 1000
	first := x + step*float64(int((start-x)/step)+1)
	n := 0
	for dx := first; dx+dw <= end; dx += step {
		n++
	}
	if n == 0 {
		return
	}
	it := Item{Kind: TextItem, X: first, Y: baseline, Face: face, Size: size, Color: e.t.Color("muted"), Text: ".",
		Parts: make([]string, n), Gaps: make([]float64, n-1)}
	for i := range it.Parts {
		it.Parts[i] = "."
	}
	for i := range it.Gaps {
		it.Gaps[i] = step - dw
	}
	p.Items = append(p.Items, it)
}

// imprintIDs is the edition's ISBN and the publication's DOI, as the
// imprint prints them.
func imprintIDs(pub *publication.Publication, lang string) string {
	var out []string
	if isbn := pub.ISBN[lang]; isbn != "" {
		out = append(out, "ISBN "+isbn)
	}
	if pub.DOI != "" {
		out = append(out, "DOI https://doi.org/"+pub.DOI)
	}
	return strings.Join(out, "\n")
}

// licenceText is the sentence that gives the publication's licence.
func licenceText(pub *publication.Publication, format string) string {
	l := pub.Licence
	if l == nil {
		return ""
	}
	s := fmt.Sprintf(format, l.Name)
	if l.URL != "" {
		s += " " + l.URL
	}
	return s
}

// Abbreviation is one entry of the list of abbreviations.
type Abbreviation struct {
	Term, Text string
}

// abbreviationItems lays out the list of abbreviations: each term, in
// bold, with what it stands for beside it.
func (e *engine) abbreviationItems(title string, abbrs []Abbreviation) []*vitem {
	tsz := e.t.Sizes.H1 + 3
	head := &vitem{h: tsz*1.3 + 16, newPage: true, dests: []string{"front:abbreviations"},
		outline: []OutlineEntry{{Title: title, Level: 0}}}
	tl := e.textLines(title, "sans-bold", tsz, e.t.Color("heading"), e.width)
	head.draw = func(p *Page, x, y float64) {
		p.rect(x, y, 36, 4, e.t.Color("accent"))
		drawLine(p, tl[0], x, y+14+tsz, alignLeft)
	}
	items := []*vitem{head}
	size := e.body * 0.95
	lead := size * 1.45
	termW := 0.0
	for _, a := range abbrs {
		if ls := e.textLines(a.Term, "sans-bold", size, e.t.Color("text"), e.width); len(ls) > 0 {
			termW = math.Max(termW, ls[0].natural)
		}
	}
	termW += e.body * 1.5
	for i, a := range abbrs {
		term := e.textLines(a.Term, "sans-bold", size, e.t.Color("heading"), termW)
		text := e.textLines(a.Text, "serif", size, e.t.Color("text"), e.width-termW)
		if len(term) == 0 || len(text) == 0 {
			continue
		}
		it := &vitem{h: float64(len(text)) * lead, before: 2}
		if i == 0 {
			it.before = 9
		}
		it.draw = func(p *Page, x, y float64) {
			base := y + (lead-size)/2 + size*0.82
			drawLine(p, term[0], x, base, alignLeft)
			for i, ln := range text {
				drawLine(p, ln, x+termW, base+float64(i)*lead, alignLeft)
			}
		}
		items = append(items, it)
	}
	return items
}

package typeset

import (
	"fmt"
	"strconv"
	"strings"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// vitem is an item of the vertical list that pagination cuts into pages:
// a line, a table row, an image, some space before it.
type vitem struct {
	h         float64
	before    float64 // space above, dropped at the top of a page
	keep      bool    // keep with the next item
	pageBreak bool    // start a new right-hand page
	newPage   bool    // start a new page
	notes     []*footnote
	head      *vitem // repeated at the top of a page this item opens (table headers)
	draw      func(p *Page, x, y float64)
	dests     []string
	outline   []OutlineEntry // Y relative to the item's top
	chapter   *chapterHead   // from this item on, the running head's chapter
	noHead    bool           // the page this item opens has no running head
	// spacing items carry space or a rule but no text: a list's mark
	// goes on the first item after them
	spacing bool
	// row marks a table's body row (for TableStats)
	row bool
	// tag is the structure element of what the item draws (see
	// StructNode); its items that carry none take it
	tag *StructNode
}

// block-level layout context: left indent and measure.
type box struct {
	indent  float64
	measure float64
}

// paraLines turns lines into vitems with widow and orphan control: the
// first two and the last two lines of a paragraph stay together.
func (e *engine) paraLines(lines []line, x0, indent, leading, before float64, al align, decorate func(p *Page, x, y, h float64)) []*vitem {
	n := len(lines)
	out := make([]*vitem, 0, n)
	for i := range lines {
		ln := lines[i]
		size := 0.0
		for _, el := range ln.elems {
			if el.size > size && el.rise == 0 {
				size = el.size
			}
		}
		if size == 0 {
			size = leading / 1.4
		}
		var notes []*footnote
		for _, el := range ln.elems {
			if el.note != nil {
				notes = append(notes, el.note)
			}
		}
		lx := x0
		if i == 0 {
			lx += indent
		}
		it := &vitem{h: leading, notes: notes, keep: (i == 0 && n > 1) || (i == n-2 && n > 1), dests: lineMarks(lines[i : i+1])}
		if i == 0 {
			it.before = before
		}
		baseline := (leading-size)/2 + size*0.82
		it.draw = func(p *Page, x, y float64) {
			if decorate != nil {
				decorate(p, x, y, leading)
			}
			drawLine(p, ln, x+lx, y+baseline, al)
		}
		out = append(out, it)
	}
	return out
}

// chapterItems lays out one chapter.
func (e *engine) chapterItems(ch *ms.Chapter) []*vitem {
	e.where = ch.File + ":1"
	e.chID = ch.Meta.Chapter
	e.notes = map[int]*footnote{}
	for n := range ch.Footnotes {
		e.notes[n] = &footnote{num: n}
	}
	fsz := e.t.Sizes.Footnote
	fl := fsz * 1.35
	for n, spans := range ch.Footnotes {
		e.where = fmt.Sprintf("%s footnote %d", ch.File, n)
		ps := []piece{{text: strconv.Itoa(n) + "\u00a0", stack: e.st["serif"], size: fsz, color: e.t.Color("accent")}}
		ps = append(ps, e.pieces(spans, textStyle{"serif", "serif-bold", "serif-italic", "serif-bolditalic", fsz, e.t.Color("text")})...)
		fn := e.notes[n]
		fn.lines = e.linesOf(ps, e.width, 0)
		fn.marks = lineMarks(fn.lines)
		fn.h = float64(len(fn.lines)) * fl
	}
	num := strconv.Itoa(ch.Number)
	label := fmt.Sprintf(e.t.Label(e.lang, "chapter_n"), ch.Number)
	bookmark := num + "  " + ch.Meta.Title
	if ch.Appendix != "" {
		num = ch.Appendix
		label = fmt.Sprintf(e.t.Label(e.lang, "appendix_n"), ch.Appendix)
		bookmark = label + "  " + ch.Meta.Title
	}
	if ch.Unnumbered {
		num, label, bookmark = "", "", ch.Meta.Title
	}
	head := &chapterHead{number: num, title: ch.Meta.Title}
	e.chapter = head
	dest := ChapterDest(ch)
	e.toc = append(e.toc, listEntry{level: 0, number: num, title: ch.Meta.Title, dest: dest, chapter: true})

	// Chapter opening: label, title, authors.
	titleSize := e.t.Sizes.Chapter
	titleLines := e.linesOf([]piece{{text: ch.Meta.Title, stack: e.st["sans-bold"], size: titleSize, color: e.t.Color("heading")}}, e.width*0.9, 0)
	authors := strings.Join(ch.Meta.Authors, e.t.Label(e.lang, "author_separator"))
	authorLines := e.raggedLines([]piece{{text: authors, stack: e.st["serif-italic"], size: 9.5, color: e.t.Color("muted")}}, e.width)
	tl := titleSize * 1.25
	h := 26 + float64(len(titleLines))*tl + 8 + float64(len(authorLines))*13 + 30
	open := &vitem{h: h, pageBreak: true, keep: true, chapter: head, noHead: true, dests: []string{dest},
		outline: []OutlineEntry{{Title: bookmark, Level: 0}}}
	// the chapter is a section of the document: its title H1, its byline
	// a paragraph, its blocks after them
	sect := &StructNode{Role: "Sect"}
	h1 := &StructNode{Role: "H1", Parent: sect}
	byline := &StructNode{Role: "P", Parent: sect}
	open.tag = Artifact // the accent bar and rule; the texts are tagged as drawn
	open.draw = func(p *Page, x, y float64) {
		acc := e.t.Color("accent")
		p.rect(x, y, 36, 4, acc)
		if label != "" {
			labelLines := e.linesOf([]piece{{text: label, stack: e.st["sans-bold"], size: 11, color: acc}}, e.width, 0)
			drawLine(p, labelLines[0], x, y+20, alignLeft)
			if n := len(p.Items); n > 0 && p.Items[n-1].Kind == TextItem {
				p.Items[n-1].TrailingSpace = true // "Chapter 1" and the title read apart
			}
		}
		yy := y + 26
		for _, ln := range titleLines {
			drawLine(p, ln, x, yy+titleSize, alignLeft)
			yy += tl
		}
		yy += 8
		tagDrawn(p, 0, h1)
		from := len(p.Items)
		for _, ln := range authorLines {
			drawLine(p, ln, x, yy+10, alignLeft)
			yy += 13
		}
		tagDrawn(p, from, byline)
		p.rule(x, yy+12, x+e.width, yy+12, 0.6, e.t.Color("rule"))
	}
	items := []*vitem{open}
	saved := e.node
	e.node = sect
	items = append(items, e.blocks(ch, ch.Blocks, box{0, e.width})...)
	e.node = saved
	return items
}

func (e *engine) blocks(ch *ms.Chapter, blocks []ms.Block, bx box) []*vitem {
	var items []*vitem
	for i, b := range blocks {
		e.where = fmt.Sprintf("%s:%d", ch.File, b.Line())
		first := i == 0
		node := e.blockNode(b)
		saved := e.node
		e.node = node
		its := e.block(ch, b, bx, first)
		e.node = saved
		tagItems(its, node)
		e.unplacedMarks(b, its)
		items = append(items, its...)
	}
	return items
}

// newNode makes a structure element of role under the current one.
func (e *engine) newNode(role string) *StructNode {
	return &StructNode{Role: role, Parent: e.node}
}

// blockNode is the structure element of a block.
func (e *engine) blockNode(b ms.Block) *StructNode {
	switch b := b.(type) {
	case *ms.Heading:
		// the chapter's title is H1
		return e.newNode("H" + strconv.Itoa(min(b.Level+1, 6)))
	case *ms.Paragraph, *ms.CodeBlock:
		return e.newNode("P")
	case *ms.List:
		return e.newNode("L")
	case *ms.Quote:
		return e.newNode("BlockQuote")
	case *ms.Table:
		return e.newNode("Table")
	case *ms.Figure:
		n := e.newNode("Figure")
		n.Alt = b.Alt
		return n
	case *ms.Chart:
		n := e.newNode("Figure")
		n.Alt = ms.PlainText(b.Caption)
		return n
	case *ms.Rule:
		return Artifact
	}
	return e.newNode("Div")
}

// tagItems gives node to the items that have no structure element yet.
func tagItems(its []*vitem, node *StructNode) {
	for _, it := range its {
		if it.tag == nil {
			it.tag = node
		}
	}
}

// tagDrawn gives node to the page's items from index from on that have
// no structure element yet.
func tagDrawn(p *Page, from int, node *StructNode) {
	for i := from; i < len(p.Items); i++ {
		if p.Items[i].Tag == nil {
			p.Items[i].Tag = node
		}
	}
}

func (e *engine) paraSpace() float64 { return e.t.Sizes.ParaSpace }

func (e *engine) block(ch *ms.Chapter, b ms.Block, bx box, first bool) []*vitem {
	switch b := b.(type) {
	case *ms.Heading:
		return e.heading(ch, b, bx)
	case *ms.Paragraph:
		if b.Hanging {
			// a reference: ragged, every line after the first indented
			hang := 1.5 * e.body
			before := e.paraSpace() / 2
			if first {
				before = 0
			}
			ls := e.raggedLinesIndent(e.pieces(b.Content, e.bodyStyle()), bx.measure-hang, -hang)
			return e.paraLines(ls, bx.indent+hang, -hang, e.leading, before, alignLeft, nil)
		}
		indent := 0.0
		if e.zh && bx.indent == 0 {
			indent = 2 * e.body
		}
		before := e.paraSpace()
		if first {
			before = 0
		}
		ls := e.lines(b.Content, e.bodyStyle(), bx.measure, indent)
		e.stats.count(ls)
		return e.paraLines(ls, bx.indent, indent, e.leading, before, justify, nil)
	case *ms.List:
		return e.list(ch, b, bx)
	case *ms.Box:
		return e.boxed(ch, b, bx)
	case *ms.Quote:
		q := box{bx.indent + 16, bx.measure - 32}
		items := e.blocks(ch, b.Blocks, q)
		acc := e.t.Color("rule")
		for i, it := range items {
			d := it.draw
			gap := 0.0
			if i > 0 {
				gap = it.before // the bar runs on through the space between the quote's blocks
			}
			it.draw = func(p *Page, x, y float64) {
				top := max(y-gap, e.top) // not above the text area when the item opens a page
				p.rect(x+bx.indent+4, top, 2, y+it.h-top, acc)
				d(p, x, y)
			}
		}
		if len(items) > 0 {
			items[0].before = e.paraSpace() + 2
		}
		return append(items, &vitem{before: e.paraSpace(), draw: func(*Page, float64, float64) {}})
	case *ms.Table:
		return e.table(ch, b, bx)
	case *ms.Figure:
		return e.figure(b, bx)
	case *ms.Chart:
		return e.chart(b, bx)
	case *ms.CodeBlock:
		return e.code(b, bx)
	case *ms.Rule:
		return []*vitem{{h: 12, before: 4, draw: func(p *Page, x, y float64) {
			cx := x + bx.indent + bx.measure/2
			p.rule(cx-40, y+6, cx+40, y+6, 0.5, e.t.Color("rule"))
		}}}
	}
	return nil
}

func (e *engine) heading(ch *ms.Chapter, b *ms.Heading, bx box) []*vitem {
	var size, before float64
	switch b.Level {
	case 1:
		size, before = e.t.Sizes.H1, 18
	case 2:
		size, before = e.t.Sizes.H2, 12
	default:
		size, before = e.t.Sizes.H3, 9
	}
	var ps []piece
	if b.Number != "" {
		ps = append(ps, piece{text: b.Number + "\u2002", stack: e.st["sans-bold"], size: size, color: e.t.Color("accent")})
	}
	ps = append(ps, e.pieces(b.Content, e.headStyle(size, e.t.Color("heading")))...)
	ls := e.linesOf(ps, bx.measure, 0)
	items := e.paraLines(ls, bx.indent, 0, size*1.3, before, alignLeft, nil)
	for _, it := range items {
		it.keep = true
	}
	items[len(items)-1].h += 3
	title := ms.PlainText(b.Content)
	if b.Level <= 2 {
		dest := HeadingDest(ch, b)
		items[0].dests = append(items[0].dests, dest)
		items[0].outline = append(items[0].outline, OutlineEntry{Title: strings.TrimSpace(b.Number + "  " + title), Level: b.Level})
		e.toc = append(e.toc, listEntry{level: b.Level, number: b.Number, title: title, dest: dest})
	}
	return items
}

// HeadingDest is the destination (Document.Dests) of a heading of level 1
// or 2 of chapter ch: its label, its number, or for an unnumbered heading
// (a chapter's references) its chapter and line. A chapter's own
// destination is ChapterDest.
func HeadingDest(ch *ms.Chapter, h *ms.Heading) string {
	switch {
	case h.Label != "":
		return h.Label
	case h.Number != "":
		return "sec#" + h.Number
	}
	return fmt.Sprintf("head#%s#%s#%d", ch.Meta.Chapter, ch.Appendix, h.SrcLine)
}

// ChapterDest is the destination of chapter ch's opening page.
func ChapterDest(ch *ms.Chapter) string { return "sec:" + ch.Meta.Chapter }

func (e *engine) list(ch *ms.Chapter, l *ms.List, bx box) []*vitem {
	var items []*vitem
	markW := e.body * 1.6
	if l.Ordered {
		markW = e.body * 2
	}
	inner := box{bx.indent + markW, bx.measure - markW}
	for i, blocks := range l.Items {
		var mark string
		if l.Ordered {
			mark = strconv.Itoa(l.Start+i) + "."
		} else if bx.indent > 0 {
			mark = "–"
		} else {
			mark = "•"
		}
		li := e.newNode("LI")
		lbl := &StructNode{Role: "Lbl", Parent: li}
		saved := e.node
		e.node = &StructNode{Role: "LBody", Parent: li}
		its := e.blocks(ch, blocks, inner)
		e.node = saved
		if len(its) == 0 {
			continue
		}
		its[0].before = 3
		if i == 0 {
			its[0].before = e.paraSpace()
		}
		// the mark, right-aligned in its column, on the first line's
		// baseline: the first item that has one (a table without a
		// caption opens with an empty spacer, then its header row)
		first := its[0]
		for _, it := range its {
			if !it.spacing {
				first = it
				break
			}
		}
		markLines := e.raggedLines(e.pieces([]ms.Span{{Text: mark}}, e.bodyStyle()), markW)
		d := first.draw
		lead, size := e.leading, e.body
		baseline := func(y float64) float64 { return y + (lead-size)/2 + size*0.82 }
		if first != its[0] {
			// a table's header row: the mark centred on the row
			h := first.h
			baseline = func(y float64) float64 { return y + h/2 + size*0.32 }
		}
		first.draw = func(p *Page, x, y float64) {
			if len(markLines) > 0 {
				ml := markLines[0]
				from := len(p.Items)
				drawLine(p, ml, x+bx.indent+markW-ml.natural-size*0.5, baseline(y), alignLeft)
				tagDrawn(p, from, lbl)
			}
			d(p, x, y)
		}
		items = append(items, its...)
	}
	return items
}

func (e *engine) code(b *ms.CodeBlock, bx box) []*vitem {
	size := e.body * 0.82
	lead := size * 1.4
	var items []*vitem
	bg := e.t.Color("shade")
	for i, l := range strings.Split(b.Text, "\n") {
		ls := e.linesOf([]piece{{text: strings.ReplaceAll(l, " ", "\u00a0"), stack: e.st["mono"], size: size, color: e.t.Color("text")}}, bx.measure-12, 0)
		if len(ls) == 0 {
			ls = []line{{}}
		}
		for _, ln := range ls {
			ln := ln
			it := &vitem{h: lead, keep: true, draw: func(p *Page, x, y float64) {
				p.rect(x+bx.indent, y, bx.measure, lead, bg)
				drawLine(p, ln, x+bx.indent+6, y+(lead-size)/2+size*0.8, alignLeft)
			}}
			if i == 0 && len(items) == 0 {
				it.before = e.paraSpace() + 2
			}
			items = append(items, it)
		}
	}
	if len(items) > 0 {
		items[len(items)-1].keep = false
	}
	return items
}

// boxed lays out a box: a case study ("Box 3.1  Title", numbered and
// listed) or a chapter's key messages, on a tint, its blocks inset. A box
// may break across pages: its title is repeated, marked continued, at the
// top of the next.
func (e *engine) boxed(ch *ms.Chapter, b *ms.Box, bx box) []*vitem {
	const pad = 8.0
	inner := box{bx.indent + pad, bx.measure - 2*pad}
	tint := e.t.Color("shade")
	size := e.t.Sizes.Caption + 0.5
	title := func(continued bool) []line {
		var ps []piece
		heading := textStyle{"sans-bold", "sans-bold", "sans-bold", "sans-bold", size, e.t.Color("heading")}
		if b.Kind == ms.BoxKeyMessages {
			ps = e.pieces([]ms.Span{{Text: e.t.Label(e.lang, "key_messages")}}, heading)
		} else {
			ps = []piece{{text: fmt.Sprintf(e.t.Label(e.lang, "box_n"), b.Number) + "\u2002", stack: e.st["sans-bold"], size: size, color: e.t.Color("accent")}}
			ps = append(ps, e.pieces([]ms.Span{{Text: b.Title}}, heading)...)
		}
		if continued {
			ps = append(ps, e.pieces([]ms.Span{{Text: " " + e.t.Label(e.lang, "continued")}}, textStyle{"sans", "sans", "sans", "sans", size, e.t.Color("heading")})...)
		}
		return e.raggedLines(ps, inner.measure)
	}
	var dests []string
	if b.Kind == ms.BoxCase {
		dest := b.Label
		if dest == "" {
			dest = "box#" + b.Number
		}
		dests = []string{dest}
		e.boxes = append(e.boxes, listEntry{number: b.Number, title: b.Title, dest: dest})
	}
	lead := size * 1.35
	items := e.paraLines(title(false), inner.indent, 0, lead, 0, alignLeft, nil)
	for _, it := range items {
		it.keep = true
	}
	items[0].dests = dests
	items[0].before = e.paraSpace() + pad
	items[len(items)-1].h += 4
	body := e.blocks(ch, b.Blocks, inner)
	// the title again, marked continued, on a page the box goes on to
	cont := title(true)
	rep := &vitem{h: float64(len(cont))*lead + 4 + pad, keep: true}
	rep.draw = func(p *Page, x, y float64) {
		p.rect(x+bx.indent, y, bx.measure, rep.h, tint)
		for i, ln := range cont {
			drawLine(p, ln, x+inner.indent, y+pad+float64(i)*lead+(lead-size)/2+size*0.82, alignLeft)
		}
	}
	for _, it := range body {
		if it.head == nil { // a table's own header goes first
			it.head = rep
		}
	}
	items = append(items, body...)
	items = append(items, &vitem{h: pad, draw: func(*Page, float64, float64) {}})
	// the tint behind every item, through the space between them (not
	// above the text area when an item opens a page)
	for i, it := range items {
		d, gap := it.draw, 0.0
		if i > 0 {
			gap = it.before
		} else {
			gap = pad
		}
		it := it
		it.draw = func(p *Page, x, y float64) {
			top := max(y-gap, e.top)
			p.rect(x+bx.indent, top, bx.measure, y+it.h-top, tint)
			d(p, x, y)
		}
	}
	return append(items, &vitem{before: e.paraSpace(), draw: func(*Page, float64, float64) {}})
}

// caption lays out "Table 3.2  Caption" or "Figure 3.1  Caption".
func (e *engine) caption(kind, number string, spans []ms.Span, bx box) []line {
	size := e.t.Sizes.Caption
	ps := []piece{{text: fmt.Sprintf(e.t.Label(e.lang, kind+"_n"), number) + "\u2002", stack: e.st["sans-bold"], size: size, color: e.t.Color("accent")}}
	ps = append(ps, e.pieces(spans, textStyle{"sans", "sans-bold", "sans", "sans-bold", size, e.t.Color("heading")})...)
	return e.raggedLines(ps, bx.measure)
}

func (e *engine) figure(f *ms.Figure, bx box) []*vitem {
	img := e.ed.Images[f.Src]
	dest := f.Label
	if dest == "" {
		dest = "fig#" + f.Number
	}
	var caps []line
	if f.Number != "" { // a figure without a caption is neither numbered nor listed
		e.figures = append(e.figures, listEntry{number: f.Number, title: ms.PlainText(f.Caption), dest: dest})
		caps = e.caption("figure", f.Number, f.Caption, bx)
	}
	var items []*vitem
	if img != nil {
		w := bx.measure
		h := w * float64(img.H) / float64(img.W)
		maxH := (e.bottom - e.top) * 0.5
		if h > maxH {
			h = maxH
			w = h * float64(img.W) / float64(img.H)
		}
		it := &vitem{h: h + 6, before: e.paraSpace() + 6, keep: true, dests: []string{dest}}
		it.draw = func(p *Page, x, y float64) {
			p.Items = append(p.Items, Item{Kind: ImageItem, X: x + bx.indent + (bx.measure-w)/2, Y: y, W: w, H: h, Image: img})
		}
		items = append(items, it)
	}
	capItems := e.paraLines(caps, bx.indent, 0, e.t.Sizes.Caption*1.35, 0, alignLeft, nil)
	tagItems(capItems, e.newNode("Caption"))
	if len(capItems) == 0 {
		if len(items) == 0 {
			return nil
		}
		items[len(items)-1].keep = false
		items[len(items)-1].h += e.paraSpace()
		return items
	}
	for _, c := range capItems[:len(capItems)-1] {
		c.keep = true
	}
	capItems[len(capItems)-1].h += e.paraSpace()
	return append(items, capItems...)
}

// unplacedMarks puts the index marks of block b's own texts that no line
// of its items carries (a table cell, a caption) on its first item, so
// that every mark has the page where its block starts at least.
func (e *engine) unplacedMarks(b ms.Block, its []*vitem) {
	if len(its) == 0 {
		return
	}
	var marks []string
	ms.BlockIndexMarks(b, func(s ms.Span) { marks = append(marks, IndexDest(e.chID, s.IndexMark)) })
	if len(marks) == 0 {
		return
	}
	placed := map[string]bool{}
	for _, it := range its {
		for _, d := range it.dests {
			placed[d] = true
		}
	}
	for _, m := range marks {
		if !placed[m] {
			its[0].dests = append(its[0].dests, m)
		}
	}
}

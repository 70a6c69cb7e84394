package typeset

import "slices"

// paginator cuts a vertical list into pages.
type paginator struct {
	e      *engine
	pages  []*Page
	offset int // physical page number of the first page minus one
	front  bool

	placed  []placed
	y       float64
	notes   []*footnote
	notesH  float64
	chapter *chapterHead
	noHead  bool
	buf     []Item // drawing buffer reused for every page

	trace func(it *vitem, page int) // tests: told where every item lands

	// extra lengthens (or, negative, shortens) the text area of every
	// page, to keep a chapter from ending on a runt page
	extra float64
	// trial paginates without drawing or recording anything: it only
	// counts the pages and measures how full the last one is
	trial    bool
	lastFill float64
}

// bottom is where the text area of this paginator's pages ends.
func (pg *paginator) bottom() float64 { return pg.e.bottom + pg.extra }

type placed struct {
	it  *vitem
	idx int // index in the list, -1 for a repeated header
	y   float64
}

const noteGap = 10 // space between text and the footnote rule

func (pg *paginator) pageEmpty() bool { return len(pg.placed) == 0 }

// notesHeight is the height the footnotes of notes add to the page: those
// not on it yet, and the separator when they are the first.
func (pg *paginator) notesHeight(notes []*footnote) float64 {
	h := 0.0
	for i, n := range notes {
		if !slices.Contains(pg.notes, n) && !slices.Contains(notes[:i], n) {
			h += n.h
		}
	}
	if h > 0 && len(pg.notes) == 0 {
		h += noteGap
	}
	return h
}

func (pg *paginator) place(it *vitem, idx int) {
	if !pg.pageEmpty() {
		pg.y += it.before
	}
	pg.notesH += pg.notesHeight(it.notes)
	for _, n := range it.notes {
		if !slices.Contains(pg.notes, n) {
			pg.notes = append(pg.notes, n)
		}
	}
	pg.placed = append(pg.placed, placed{it, idx, pg.y})
	pg.y += it.h
	if it.chapter != nil && idx >= 0 {
		pg.chapter = it.chapter
	}
	if it.noHead && len(pg.placed) == 1 {
		pg.noHead = true
	}
}

func (pg *paginator) reset() {
	pg.placed = pg.placed[:0]
	pg.y = pg.e.top
	pg.notes = nil
	pg.notesH = 0
	pg.noHead = false
}

// flush turns the placed items into a page.
func (pg *paginator) flush() {
	e := pg.e
	n := pg.offset + len(pg.pages) + 1
	pg.lastFill = pg.y - e.top + pg.notesH
	if pg.trial {
		pg.pages = append(pg.pages, &Page{index: n})
		pg.reset()
		return
	}
	// draw into a buffer kept from page to page, then keep an exact copy
	p := &Page{index: n, front: pg.front, chapter: pg.chapter, noHead: pg.noHead, Items: pg.buf[:0]}
	x := e.left(n)
	for _, pl := range pg.placed {
		if pl.idx >= 0 && pl.it.row && !pg.front {
			e.tableRows(pl.it.head, n)
		}
		if pl.idx >= 0 {
			for _, o := range pl.it.outline {
				o.Y += pl.y
				p.Outline = append(p.Outline, o)
			}
			for _, d := range pl.it.dests {
				e.dests[d] = Dest{Page: n, Y: pl.y}
				if e.destRec != nil {
					e.destRec[d] = Dest{Page: n, Y: pl.y}
				}
			}
		}
		from := len(p.Items)
		pl.it.draw(p, x, pl.y)
		if pl.idx < 0 {
			// a table's header repeated on a continuation page
			for i := from; i < len(p.Items); i++ {
				p.Items[i].Tag = Artifact
			}
		} else if pl.it.tag != nil {
			tagDrawn(p, from, pl.it.tag)
		}
		if pg.trace != nil {
			pg.trace(pl.it, n)
		}
	}
	// footnotes at the foot of the page
	if len(pg.notes) > 0 {
		fl := e.t.Sizes.Footnote * 1.35
		y := pg.bottom() - pg.notesH + noteGap
		p.rule(x, y-noteGap/2, x+e.width/3, y-noteGap/2, 0.5, e.t.Color("rule"))
		// the notes belong to the section the page's text is in
		var section *StructNode
		for i := len(p.Items) - 1; i >= 0 && section == nil; i-- {
			if t := p.Items[i].Tag; t != nil && t != Artifact {
				for section = t; section.Parent != nil; section = section.Parent {
				}
			}
		}
		for _, fn := range pg.notes {
			from := len(p.Items)
			for _, d := range fn.marks {
				e.dests[d] = Dest{Page: n, Y: y}
				if e.destRec != nil {
					e.destRec[d] = Dest{Page: n, Y: y}
				}
			}
			for _, ln := range fn.lines {
				drawLine(p, ln, x, y+fl*0.78, justify)
				y += fl
			}
			tagDrawn(p, from, &StructNode{Role: "Note", Parent: section})
		}
	}
	pg.buf = p.Items
	p.Items = append([]Item(nil), p.Items...)
	pg.pages = append(pg.pages, p)
	pg.reset()
}

func (pg *paginator) blank() {
	n := pg.offset + len(pg.pages) + 1
	pg.pages = append(pg.pages, &Page{index: n, Blank: true, front: pg.front})
}

// run paginates items. Items marked keep stay on the page of the item
// after them (headings with their text, the first and last two lines of
// a paragraph, captions with their tables); a table row that opens a page
// brings its header along; footnotes go on the page of their mark.
func (pg *paginator) run(items []*vitem) {
	pg.reset()
	for i := 0; i < len(items); {
		it := items[i]
		if it.pageBreak && (!pg.pageEmpty() || (pg.offset+len(pg.pages))%2 == 1) {
			if !pg.pageEmpty() {
				pg.flush()
			}
			if (pg.offset+len(pg.pages))%2 == 1 {
				pg.blank()
			}
		}
		if it.newPage && !pg.pageEmpty() {
			pg.flush()
		}
		if pg.pageEmpty() && it.head != nil {
			pg.place(it.head, -1)
		}
		before := it.before
		if pg.pageEmpty() {
			before = 0
		}
		if pg.pageEmpty() || pg.y+before+it.h+pg.notesH+pg.notesHeight(it.notes) <= pg.bottom()+0.01 {
			pg.place(it, i)
			i++
			continue
		}
		// Does not fit: go back to the start of the keep chain.
		k := len(pg.placed)
		for k > 0 && pg.placed[k-1].it.keep {
			k--
		}
		for k > 0 && pg.placed[k-1].idx < 0 {
			k--
		}
		if k == 0 || (k == 1 && pg.placed[0].idx < 0) {
			k = len(pg.placed) // the whole page is one chain: break here
		}
		if k < len(pg.placed) {
			i = pg.placed[k].idx
			kept := append([]placed(nil), pg.placed[:k]...)
			pg.reset()
			for _, pl := range kept {
				pg.place(pl.it, pl.idx)
			}
			pg.y = kept[len(kept)-1].y + kept[len(kept)-1].it.h
		}
		pg.flush()
	}
	if !pg.pageEmpty() {
		pg.flush()
	}
}

// minLastPageLines is the fewest lines of body text a chapter's last page
// holds when the chapter runs over more than one page.
const minLastPageLines = 5

// runChapter paginates a chapter's items after the body's pages: as they
// come, unless that ends the chapter on a runt page (less than
// minLastPageLines lines), in which case the chapter is tightened (every
// page a line longer, to end a page earlier) or loosened (one to three
// lines shorter, to carry more onto the last page), whichever first cures
// it.
func (e *engine) runChapter(body *paginator, items []*vitem) {
	try := func(extra float64) (pages int, fill float64) {
		tp := &paginator{e: e, offset: body.offset + len(body.pages), front: body.front, extra: extra, trial: true}
		tp.run(items)
		return len(tp.pages), tp.lastFill
	}
	runt := float64(minLastPageLines)*e.leading - 0.5
	extra := 0.0
	if n, fill := try(0); n >= 2 && fill < runt {
		for _, x := range []float64{e.leading, -e.leading, -2 * e.leading, -3 * e.leading} {
			m, f := try(x)
			if (m < n && (m < 2 || f >= runt)) || (m == n && f >= runt) {
				extra = x
				break
			}
		}
	}
	start := len(body.pages)
	body.extra = extra
	body.run(items)
	body.extra = 0
	pages := 0
	for _, p := range body.pages[start:] {
		if !p.Blank {
			pages++
		}
	}
	if pages >= 2 && body.lastFill < runt {
		e.runts++
	}
}

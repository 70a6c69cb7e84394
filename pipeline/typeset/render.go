package typeset

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/diag"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// Render lays out one edition with template t and the fonts of fs.
func Render(t *Template, fs *FontSet, ed *Edition) (doc *Document, err error) {
	if ed.Draft != "" {
		bmpOnly(ed)
	}
	e, err := newEngine(t, fs, ed)
	if err != nil {
		return nil, err
	}
	defer func() {
		// a bug in the layout is reported with the place being laid out,
		// not a crash of the builder (aceo watch and serve go on)
		if r := recover(); r != nil {
			doc, err = nil, diag.Recovered(r, fmt.Sprintf("the %s edition at %s", ed.Lang, e.where))
		}
	}()
	e.dests = map[string]Dest{}

	// Body first: its page numbers do not depend on the front matter,
	// whose length is padded to an even number of pages.
	// Chapters open on a new page, so each is paginated as soon as it is
	// laid out, and its line elements can go before the next is shaped.
	// the front chapters (a foreword) first, on their own pages after
	// the imprint: their page numbers do not depend on the contents,
	// which list them
	var frontChapters []*Page
	bodyChapters := ed.Chapters
	if !ed.Excerpt {
		fp := &paginator{e: e, offset: 2, front: true}
		bodyChapters = nil
		for _, ch := range ed.Chapters {
			if ch.Front {
				fp.run(e.chapterItems(ch))
			} else {
				bodyChapters = append(bodyChapters, ch)
			}
		}
		frontChapters = fp.pages
	}
	frontDests := e.dests
	e.dests = map[string]Dest{}
	body := e.layoutBody(fs, bodyChapters, frontDests)
	bodyDests := e.dests
	e.dests = map[string]Dest{}

	pageOf := func(dest string) string {
		if d, ok := bodyDests[dest]; ok {
			return strconv.Itoa(d.Page)
		}
		if d, ok := frontDests[dest]; ok {
			return roman(d.Page)
		}
		return ""
	}
	var pages []*Page
	switch {
	case ed.Summary:
		// the cover and its blank verso: the summary opens on page 1, a
		// right-hand page
		pages = []*Page{e.cover(), {index: 2, Blank: true, front: true}}
	case !ed.Excerpt:
		pages = e.frontPages(pageOf, frontChapters)
	}
	nFront := len(pages)
	for _, p := range body.pages {
		if !p.Blank {
			p.Folio = strconv.Itoa(p.index)
		}
		p.index += nFront
		pages = append(pages, p)
	}
	if err := loadErr(e.st); err != nil {
		return nil, fmt.Errorf("%s edition: %w", e.lang, err)
	}
	if len(e.missing) > 0 && ed.Draft == "" {
		return nil, &MissingGlyphError{Lang: e.lang, Chars: e.missing}
	}
	doc = &Document{Lang: e.lang, Pages: pages, Dests: map[string]Dest{}, Width: e.pageW, Height: e.pageH, Lines: e.stats, Tables: e.tableStats(), Runts: e.runts}
	for k, d := range e.dests {
		doc.Dests[k] = d
	}
	for k, d := range frontDests {
		doc.Dests[k] = d
	}
	for k, d := range bodyDests {
		doc.Dests[k] = Dest{Page: d.Page + nFront, Y: d.Y}
	}
	pub := ed.Pub
	doc.Title = pub.Title.In(e.lang)
	doc.Subject = pub.Subtitle.In(e.lang)
	doc.Keywords = pub.Keywords.In(e.lang)
	var eds []string
	for _, ed := range pub.Editors {
		eds = append(eds, ed.In(e.lang))
	}
	doc.Author = strings.Join(eds, "; ")
	if doc.Author == "" {
		doc.Author = pub.Publisher.In(e.lang)
	}
	for _, p := range pages {
		e.furnish(p)
	}
	return doc, nil
}

// frontPages lays out the cover, the imprint, the contents and the lists
// of tables and figures, padded to an even number of pages; pageOf gives
// the body page of a destination.
func (e *engine) frontPages(pageOf func(string) string, chapters []*Page) []*Page {
	t := e.t
	front := &paginator{e: e, offset: 2 + len(chapters), front: true}
	var fitems []*vitem
	fitems = append(fitems, e.listItems(t.Label(e.lang, "contents"), "front:contents", e.toc, pageOf)...)
	if len(e.tables) > 0 {
		li := e.listItems(t.Label(e.lang, "list_of_tables"), "front:tables", e.tables, pageOf)
		li[0].pageBreak, li[0].newPage = false, true
		fitems = append(fitems, li...)
	}
	if len(e.figures) > 0 {
		li := e.listItems(t.Label(e.lang, "list_of_figures"), "front:figures", e.figures, pageOf)
		li[0].pageBreak, li[0].newPage = false, true
		fitems = append(fitems, li...)
	}
	if len(e.boxes) > 0 {
		li := e.listItems(t.Label(e.lang, "list_of_boxes"), "front:boxes", e.boxes, pageOf)
		li[0].pageBreak, li[0].newPage = false, true
		fitems = append(fitems, li...)
	}
	if len(e.ed.Abbreviations) > 0 {
		fitems = append(fitems, e.abbreviationItems(t.Label(e.lang, "abbreviations"), e.ed.Abbreviations)...)
	}
	front.run(fitems)
	pages := []*Page{e.cover(), e.imprint(2)}
	pages = append(pages, chapters...)
	pages = append(pages, front.pages...)
	if len(pages)%2 == 1 {
		pages = append(pages, &Page{index: len(pages) + 1, Blank: true, front: true})
	}
	for i, p := range pages {
		if i >= 2 && !p.Blank {
			p.Folio = roman(i + 1)
		}
	}
	return pages
}

// furnish adds running heads and folios, and a draft's mark.
func (e *engine) furnish(p *Page) {
	if e.ed.Draft != "" {
		e.draftMark(p)
	}
	if p.Blank {
		return
	}
	x := e.left(p.index)
	size := e.t.Sizes.RunningHead
	muted := e.t.Color("muted")
	footY := e.bottom + e.t.FootMM*mm
	if p.Folio != "" {
		fl := e.textLines(p.Folio, "sans-bold", size+0.5, e.t.Color("heading"), 60)
		if len(fl) > 0 {
			w := fl[0].natural
			fx := x + e.width - w // outer corner on right-hand pages
			if p.index%2 == 0 {
				fx = x
			}
			if p.front {
				fx = x + (e.width-w)/2
			}
			drawLine(p, fl[0], fx, footY, alignLeft)
		}
	}
	if p.front || p.noHead || p.chapter == nil {
		return
	}
	headY := e.top - e.t.HeadMM*mm
	var text string
	al := alignLeft
	if p.index%2 == 0 {
		text = e.ed.Pub.ShortTitle.In(e.lang)
	} else {
		text = p.chapter.title
		if p.chapter.number != "" {
			text = p.chapter.number + "\u2002" + p.chapter.title
		}
		al = alignRight
	}
	hl := e.textLines(text, "sans", size, muted, e.width)
	if len(hl) > 0 {
		ln := hl[0]
		ln.target = e.width
		drawLine(p, ln, x, headY, al)
	}
	p.rule(x, headY+4, x+e.width, headY+4, 0.4, e.t.Color("rule"))
}

// Time returns the fixed document date of the edition.
func (ed *Edition) Time() time.Time {
	t, err := ed.Pub.Time()
	if err != nil {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

// draftMark sets a preview's mark across the top of a page: a band in the
// warning colour with the mark in white, so that no page of a draft can
// pass for a release.
func (e *engine) draftMark(p *Page) {
	h := 7 * mm
	y := 5 * mm
	p.rect(0, y, e.pageW, h, e.t.Color("warn"))
	size := 9.0
	ls := e.textLines(e.ed.Draft, "sans-bold", size, Color{255, 255, 255}, e.pageW-20*mm)
	if len(ls) > 0 {
		ln := ls[0]
		drawLine(p, ln, (e.pageW-ln.natural)/2, y+h/2+size*0.35, alignLeft)
	}
}

// layoutBody lays out the body chapters, then the index (its marks'
// pages known by then, frontDests giving those of the front chapters).
func (e *engine) layoutBody(fs *FontSet, chapters []*ms.Chapter, frontDests map[string]Dest) *paginator {
	ed, t := e.ed, e.t
	body := &paginator{e: e}
	for _, ch := range chapters {
		switch {
		case ed.Cache == nil:
			e.runChapter(body, e.chapterItems(ch))
		default:
			key := ed.Cache.chapterKey(t, fs, ed, ch)
			if cp := ed.Cache.get(key); cp != nil {
				e.replay(body, cp)
			} else {
				e.record(body, ch, key)
			}
		}
		if ed.Progress != nil {
			ed.Progress(len(body.pages))
		}
	}
	if len(ed.Index) > 0 && !ed.Excerpt {
		// the index last: the pages of every mark are known
		bd := e.dests
		body.run(e.indexItems(ed.Index, func(dest string) (markPage, bool) {
			if d, ok := bd[dest]; ok {
				return markPage{folio: strconv.Itoa(d.Page), n: d.Page, order: 1<<20 + d.Page}, true
			}
			if d, ok := frontDests[dest]; ok {
				return markPage{folio: roman(d.Page), order: d.Page}, true
			}
			return markPage{}, false
		}))
	}
	return body
}

package typeset

import (
	"sort"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// IndexEntry is an entry of the back-of-book index, in the order the
// index prints it: its term, the index marks it was made from (their
// destinations, IndexDest), and its subentries. Group is the letter
// heading the entry opens, set on the first entry of each group.
type IndexEntry struct {
	Group string
	Term  string
	Marks []string
	Subs  []IndexEntry
}

// indexLine is one line of the index, set in its column.
type indexLine struct {
	ln     line
	indent float64
	before float64 // space above, dropped at the top of a column
	group  bool    // a letter heading: kept with the line after it
}

// indexItems lays out the index as the last chapter of the body: an
// opening like an unnumbered chapter's, then the entries in two columns,
// each page of columns one item. pageOf gives the page of a mark's
// destination ("" if it was not placed); a run of consecutive pages is
// printed as a range, each number linked to its first mark on the page.
func (e *engine) indexItems(entries []IndexEntry, pageOf func(string) (markPage, bool)) []*vitem {
	title := e.t.Label(e.lang, "index")
	ch := &ms.Chapter{File: "index", Unnumbered: true, Meta: ms.FrontMatter{Chapter: "index", Lang: e.lang, Title: title}}
	items := e.chapterItems(ch)
	size := e.body * 0.9
	lead := size * 1.35
	gap := e.body * 1.5
	colW := (e.width - gap) / 2
	hang := e.body * 1.2
	ts := textStyle{"serif", "serif-bold", "serif-italic", "serif-bolditalic", size, e.t.Color("text")}
	var lines []indexLine
	entry := func(term string, marks []string, indent float64) {
		ps := e.pieces([]ms.Span{{Text: term}}, ts)
		for i, r := range pageRuns(marks, pageOf) {
			sep := ", "
			if i == 0 {
				sep = "\u2002" // an en space between the term and its pages
			}
			ps = append(ps, piece{text: sep, stack: e.st["serif"], size: size, color: ts.color})
			ps = append(ps, piece{text: r.text(), stack: e.st["serif"], size: size, color: ts.color, link: "#" + r.dest})
		}
		for k, ln := range e.raggedLinesIndent(ps, colW-indent-hang, -hang) {
			in := indent + hang
			if k == 0 {
				in = indent
			}
			lines = append(lines, indexLine{ln: ln, indent: in})
		}
	}
	for _, en := range entries {
		if en.Group != "" {
			for _, ln := range e.textLines(en.Group, "sans-bold", e.body, e.t.Color("heading"), colW) {
				lines = append(lines, indexLine{ln: ln, before: lead * 0.8, group: true})
			}
		}
		entry(en.Term, en.Marks, 0)
		for _, sub := range en.Subs {
			entry(sub.Term, sub.Marks, e.body)
		}
	}
	// the entries are read as one Index element of the index's section
	var sect *StructNode
	if items[0].tag != nil {
		sect = items[0].tag.Parent
	}
	cols := e.indexColumns(lines, items[0].h, lead, colW, gap)
	tagItems(cols, &StructNode{Role: "Index", Parent: sect})
	return append(items, cols...)
}

// indexColumns fills two columns a page, the first page below the
// opening of height openH: each page of columns is one item.
func (e *engine) indexColumns(lines []indexLine, openH, lead, colW, gap float64) []*vitem {
	var items []*vitem
	full := e.bottom - e.top
	avail := full - openH - lead
	for i := 0; i < len(lines); {
		var cols [2][]indexLine
		used := 0.0
		// the last page's columns are balanced: the first holds half
		rest := 0.0
		for _, l := range lines[i:] {
			rest += l.before + lead
		}
		limit := avail
		if rest <= 2*avail {
			limit = min(avail, rest/2+lead/2)
		}
		for c := 0; c < 2 && i < len(lines); c++ {
			h := 0.0
			if c == 1 {
				limit = avail
			}
			for i < len(lines) {
				l := lines[i]
				b := l.before
				if len(cols[c]) == 0 {
					b = 0
				}
				need := b + lead
				if l.group && i+1 < len(lines) {
					need += lead // a letter heading stays with its first entry
				}
				if h+need > limit && len(cols[c]) > 0 {
					break
				}
				l.before = b
				cols[c] = append(cols[c], l)
				h += b + lead
				i++
			}
			used = max(used, h)
		}
		it := &vitem{h: used, before: lead, newPage: len(items) > 0}
		it.draw = func(p *Page, x, y float64) {
			for c, col := range cols {
				cx := x + float64(c)*(colW+gap)
				yy := y
				for _, l := range col {
					yy += l.before
					drawLine(p, l.ln, cx+l.indent, yy+lead*0.78, alignLeft)
					yy += lead
				}
			}
		}
		items = append(items, it)
		avail = full
	}
	return items
}

// pageRun is a page or a range of consecutive pages of an index entry,
// linked to the first mark on its first page.
type pageRun struct {
	first, last string // last is empty for a single page
	n           int    // the arabic number of its last page (0: roman)
	dest        string
}

func (r pageRun) text() string {
	if r.last == "" {
		return r.first
	}
	return r.first + "\u2013" + r.last
}

// markPage is where an index mark was placed: its folio, its arabic page
// number (0 for a roman one) and its order among all pages.
type markPage struct {
	folio string
	n     int
	order int
}

// pageRuns turns an entry's marks into its page references in page
// order: one per page, consecutive arabic pages joined into a range
// ("12–14"). Marks that were not placed are left out.
func pageRuns(marks []string, pageOf func(string) (markPage, bool)) []pageRun {
	type placedMark struct {
		markPage
		dest string
	}
	var ps []placedMark
	for _, m := range marks {
		if mp, ok := pageOf(m); ok {
			ps = append(ps, placedMark{mp, m})
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].order < ps[j].order })
	var out []pageRun
	for _, p := range ps {
		if k := len(out) - 1; k >= 0 {
			r := &out[k]
			cur := r.last
			if cur == "" {
				cur = r.first
			}
			if p.folio == cur {
				continue // the same page
			}
			if p.n > 0 && r.n > 0 && p.n == r.n+1 {
				r.last, r.n = p.folio, p.n
				continue
			}
		}
		out = append(out, pageRun{first: p.folio, n: p.n, dest: p.dest})
	}
	return out
}

package typeset

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/hyphen"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/publication"
)

// Edition is what one language edition is made of: the publication and its
// chapters in that language, numbered and with references resolved.
type Edition struct {
	Lang     string
	Pub      *publication.Publication
	Chapters []*ms.Chapter
	// Abbreviations are listed in the front matter after the lists of
	// tables, figures and boxes: each term with what it stands for.
	Abbreviations []Abbreviation
	// Images maps a figure's Src to its image data.
	Images map[string]*Image
	// Draft, when set, is the mark of a preview ("DRAFT / 草稿"): it is
	// set on every page, and characters no font covers do not stop the
	// rendering (the preflight reported them).
	Draft string
	// Progress, when set, is told the number of body pages laid out so
	// far, after each chapter.
	Progress func(pages int)
	// Cache, when set, gives the pages of chapters laid out before and
	// keeps those laid out now.
	Cache *LayoutCache
	// Excerpt, when set, is the chapters alone, with no cover, imprint,
	// contents or lists: the preview of one chapter. References to other
	// chapters print their numbers but link nowhere.
	Excerpt bool
	// Index is the back-of-book index, set after the last chapter (none
	// when empty or in an excerpt).
	Index []IndexEntry
	// Summary, with Excerpt, is the summary for policymakers published on
	// its own: a cover that names it, then the chapter.
	Summary bool
}

// MissingGlyphError lists characters that no font of the template covers,
// with where they occur.
type MissingGlyphError struct {
	Lang  string
	Chars map[rune][]string // character -> "file:line" places
}

func (e *MissingGlyphError) Error() string {
	var rs []rune
	for r := range e.Chars {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	var parts []string
	for _, r := range rs {
		places := e.Chars[r]
		if len(places) > 3 {
			places = append(places[:3:3], fmt.Sprintf("and %d more", len(e.Chars[r])-3))
		}
		parts = append(parts, fmt.Sprintf("%q (U+%04X) at %s", string(r), r, strings.Join(places, ", ")))
	}
	return fmt.Sprintf("%s edition: no font of the template has %s; add a font that covers them to the template's font lists, or replace the characters",
		e.Lang, strings.Join(parts, "; "))
}

// engine lays out one edition.
type engine struct {
	node    *StructNode // the structure element blocks are laid out in
	t       *Template
	ed      *Edition
	lang    string
	zh      bool
	st      map[string]*Stack
	pageW   float64
	pageH   float64
	top     float64
	bottom  float64
	width   float64
	body    float64 // body size
	leading float64
	missing map[rune][]string
	where   string // current source place, for missing glyphs
	elbuf   []elem

	tables  []listEntry
	figures []listEntry
	boxes   []listEntry
	toc     []listEntry
	chapter *chapterHead
	notes   map[int]*footnote
	chID    string // the chapter being laid out
	stats   LineStats
	runts   int // chapters that end on a runt page all the same
	// rows counts the body rows of each table (by its repeated header)
	// on each page, for TableStats
	rows    map[*vitem]map[int]int
	dests   map[string]Dest
	destRec map[string]Dest   // while a chapter is recorded for the cache
	missRec map[rune][]string // likewise
	sc      scratch

	pats      *hyphen.Patterns // nil: no hyphenation in this language
	hyphCache map[string][]int
}

type chapterHead struct {
	number string // "3", or an appendix letter
	title  string
}

// listEntry is a line of the contents or of a list of tables or figures.
type listEntry struct {
	level  int
	number string
	title  string
	dest   string
	// chapter marks a chapter's own entry in the contents
	chapter bool
}

type footnote struct {
	num   int
	lines []line
	h     float64
	marks []string // index marks in the note's text
}

// IndexDest names the destination of the n-th index mark of a chapter:
// the place the index's page numbers link to.
func IndexDest(chapter string, n int) string {
	return "idx:" + chapter + ":" + strconv.Itoa(n)
}

// lineMarks lists the index marks on lines.
func lineMarks(lines []line) []string {
	var out []string
	for _, ln := range lines {
		for _, el := range ln.elems {
			if el.mark != "" {
				out = append(out, el.mark)
			}
		}
	}
	return out
}

func newEngine(t *Template, fs *FontSet, ed *Edition) (*engine, error) {
	st, err := t.Stacks(fs, ed.Lang)
	if err != nil {
		return nil, err
	}
	pats, err := t.Patterns(ed.Lang)
	if err != nil {
		return nil, err
	}
	e := &engine{t: t, ed: ed, lang: ed.Lang, zh: ed.Lang == "zh", st: st, missing: map[rune][]string{},
		pats: pats, hyphCache: map[string][]int{}}
	e.pageW, e.pageH = t.PageMM[0]*mm, t.PageMM[1]*mm
	e.top = t.MarginMM.Top * mm
	e.bottom = e.pageH - t.MarginMM.Bottom*mm
	e.width = e.pageW - (t.MarginMM.Inner+t.MarginMM.Outer)*mm
	e.body, e.leading = t.Sizes.Body, t.Sizes.BodyLeading
	if e.zh {
		e.body, e.leading = t.Sizes.ZhBody, t.Sizes.ZhLeading
	}
	return e, nil
}

// left is the x of the text area on physical page n (1-based): right-hand
// (odd) pages have the inner margin on the left.
func (e *engine) left(n int) float64 {
	if n%2 == 1 {
		return e.t.MarginMM.Inner * mm
	}
	return e.t.MarginMM.Outer * mm
}

// textStyle is a paragraph style: font stacks for the inline styles, size,
// colour.
type textStyle struct {
	regular, bold, italic, boldItalic string // roles
	size                              float64
	color                             Color
}

func (e *engine) bodyStyle() textStyle {
	return textStyle{"serif", "serif-bold", "serif-italic", "serif-bolditalic", e.body, e.t.Color("text")}
}

func (e *engine) sansStyle(size float64) textStyle {
	return textStyle{"sans", "sans-bold", "sans", "sans-bold", size, e.t.Color("text")}
}

func (e *engine) headStyle(size float64, c Color) textStyle {
	return textStyle{"sans-bold", "sans-bold", "sans-bold", "sans-bold", size, c}
}

// pieces converts spans to shaping input in style ts.
func (e *engine) pieces(spans []ms.Span, ts textStyle) []piece {
	out := make([]piece, 0, len(spans))
	for _, s := range spans {
		role := ts.regular
		switch {
		case s.Style&ms.Code != 0:
			role = "mono"
		case s.Style&ms.Bold != 0 && s.Style&ms.Italic != 0:
			role = ts.boldItalic
		case s.Style&ms.Bold != 0:
			role = ts.bold
		case s.Style&ms.Italic != 0:
			role = ts.italic
		}
		p := piece{text: s.Text, stack: e.st[role], size: ts.size, color: ts.color, link: s.Link}
		if s.Index != "" {
			p.mark = IndexDest(e.chID, s.IndexMark)
		}
		if s.Link != "" {
			p.color = e.t.Color("link")
		}
		if s.Note > 0 {
			fn := e.notes[s.Note]
			p.text = strconv.Itoa(s.Note)
			p.size = ts.size * 0.62
			p.rise = ts.size * 0.36
			p.noBreak = true
			p.note = fn
			p.color = e.t.Color("accent")
			p.link = ""
			p.stack = e.st[ts.regular]
		}
		out = append(out, p)
	}
	return out
}

// lines shapes spans and breaks them into justified lines of width
// measure, the first indent shorter.
func (e *engine) lines(spans []ms.Span, ts textStyle, measure, indent float64) []line {
	return e.linesOf(e.pieces(spans, ts), measure, indent)
}

// linesOf shapes pieces into justified lines, hyphenated where the
// template has patterns for the language.
func (e *engine) linesOf(ps []piece, measure, indent float64) []line {
	el := e.sc.shape(ps, e.zh, e.miss)
	if e.pats != nil {
		el = hyphenate(el, e.pats, e.hyphCache)
	}
	return e.sc.breakLines(el, measure, indent, false)
}

// raggedLines shapes pieces into unjustified lines, each as full as fits.
func (e *engine) raggedLines(ps []piece, measure float64) []line {
	return e.raggedLinesIndent(ps, measure, 0)
}

// raggedLinesIndent is raggedLines with the first line indented by indent
// (negative: a hanging indent).
func (e *engine) raggedLinesIndent(ps []piece, measure, indent float64) []line {
	return e.sc.breakLines(e.sc.shape(ps, e.zh, e.miss), measure, indent, true)
}

func (e *engine) miss(r rune) {
	places := e.missing[r]
	if len(places) == 0 || places[len(places)-1] != e.where {
		e.missing[r] = append(places, e.where)
		if e.missRec != nil {
			e.missRec[r] = append(e.missRec[r], e.where)
		}
	}
}

// align is how a line is set.
type align uint8

const (
	justify align = iota
	alignLeft
	alignCenter
	alignRight
)

// drawLine places the elements of ln with its left end at x and baseline y.
// Neighbouring boxes in the same style become one text item: across
// Chinese glue with a uniform character spacing, across word spaces as
// parts with gaps, so that a justified line is a few text operations, not
// one per word.
func drawLine(p *Page, ln line, x, y float64, al align) {
	ratio := ln.ratio
	// Unjustified and last lines keep their natural spacing, but a line the
	// breaker had to shrink stays shrunk, or it would overflow.
	if (al != justify || ln.last) && ratio > 0 {
		ratio = 0
	}
	switch al {
	case alignCenter:
		x += (ln.target - ln.natural) / 2
	case alignRight:
		x += ln.target - ln.natural
	}
	var rb runBuilder
	rb.run = -1
	var linkStart float64
	link := ""
	endLink := func(x float64) {
		if link != "" {
			it := Item{Kind: LinkItem, X: linkStart, Y: y - 0.8*ln.elems[0].size, W: x - linkStart, H: ln.elems[0].size}
			if strings.HasPrefix(link, "#") {
				it.Dest = link[1:]
			} else {
				it.URL = link
			}
			p.Items = append(p.Items, it)
		}
		link = ""
	}
	for i := range ln.elems {
		el := &ln.elems[i]
		switch el.kind {
		case eGlue:
			w := el.w
			if ratio > 0 {
				w += ratio * el.stretch
			} else if ratio < 0 {
				w += ratio * el.shrink
			}
			rb.glue(p, x, w, el.cjk)
			x += w
		case ePenalty:
		case eBox:
			if el.link != link {
				endLink(x)
				if el.link != "" {
					link, linkStart = el.link, x
				}
			}
			if el.face == nil { // a fixed space
				x += el.w
				rb.run = -1
				continue
			}
			rb.box(p, el, x, y)
			if el.face.dashOK && strings.Contains(el.text, "——") && !el.face.dashLigature() {
				bridgeDashes(p, el, x, y)
			}
			x += el.w
			rb.end = x
		}
	}
	if h := ln.hyphen; h != nil {
		rb.box(p, &elem{kind: eBox, text: "-", face: h.face, size: h.size, color: h.color, w: h.w}, x, y)
		x += h.w
	} else if rb.run >= 0 && rb.run == len(p.Items)-1 {
		// a line broken at a word space, or a paragraph's end: a space,
		// invisible after the line's end, so that text read from the
		// page's content (screen readers, the structure tree) has it
		it := &p.Items[rb.run]
		if r, _ := utf8.DecodeLastRuneInString(it.Text + strings.Join(it.Parts, "")); r != utf8.RuneError && !cjkish(r) && r != '-' {
			it.TrailingSpace = true
		}
	}
	endLink(x)
}

// runBuilder merges the boxes of a line into text items.
type runBuilder struct {
	run    int     // index in the page's items of the open run, or -1
	end    float64 // x where the open run ends
	gap    float64 // a word space after the run, pending
	hasGap bool
	// the last part of the run as a substring of its paragraph
	para        *string
	start, stop int
	// multi: the open run holds a box of several characters ("——"),
	// which a Tc spacing would spread: such a run takes none
	multi bool
}

func (rb *runBuilder) glue(p *Page, x, w float64, cjk bool) {
	if rb.run < 0 || x != rb.end || rb.hasGap {
		rb.run = -1
		return
	}
	it := &p.Items[rb.run]
	switch {
	case cjk && len(it.Parts) == 0 && !rb.multi && (it.Spacing == 0 || it.Spacing == w):
		// even spacing between Chinese characters: one Tc for the run
		it.Spacing = w
		rb.end = x + w
	case !cjk && it.Spacing == 0 && len(it.Moves) == 0:
		rb.gap, rb.hasGap = w, true
		rb.end = x + w
	default:
		rb.run = -1
	}
}

func (rb *runBuilder) box(p *Page, el *elem, x, y float64) {
	multi := utf8.RuneCountInString(el.text) > 1
	if r := rb.run; r >= 0 && x == rb.end && el.rise == 0 {
		it := &p.Items[r]
		trimmed := el.trimL != 0 || el.trimR != 0
		if it.Face == el.face && it.Size == el.size && it.Color == el.color && it.Y == y && it.Link == el.link && !(multi && it.Spacing != 0) && !(trimmed && (rb.hasGap || len(it.Parts) > 0)) {
			rb.multi = rb.multi || multi
			if rb.hasGap {
				if len(it.Parts) == 0 {
					it.Parts = []string{it.Text}
				}
				it.Parts = append(it.Parts, el.text)
				it.Gaps = append(it.Gaps, rb.gap)
				it.Widths = append(it.Widths, el.w)
				rb.hasGap = false
				rb.para, rb.start, rb.stop = el.para, int(el.off), int(el.off)+len(el.text)
				return
			}
			if trimmed {
				at := len(it.Text)
				it.Moves = append(it.Moves, Move{at, -el.trimL}, Move{at + len(el.text), -el.trimR})
			}
			var last string
			if el.para != nil && el.para == rb.para && int(el.off) == rb.stop {
				// contiguous in the paragraph: a substring, no copy
				rb.stop = int(el.off) + len(el.text)
				last = (*rb.para)[rb.start:rb.stop]
			} else {
				rb.para = nil
				if len(it.Parts) > 0 {
					last = it.Parts[len(it.Parts)-1] + el.text
				} else {
					last = it.Text + el.text
				}
			}
			if len(it.Parts) > 0 {
				it.Parts[len(it.Parts)-1] = last
			} else {
				it.Text = last
			}
			it.Widths[len(it.Widths)-1] += el.w
			return
		}
	}
	if rb.hasGap && rb.run >= 0 && rb.run < len(p.Items) {
		// a word space between two styles ("the *Outlook* was"): kept
		// after the first, for text read from the content
		p.Items[rb.run].TrailingSpace = true
	}
	p.Items = append(p.Items, Item{Kind: TextItem, X: x, Y: y - el.rise, Face: el.face, Size: el.size, Color: el.color, Text: el.text, Widths: []float64{el.w}, Link: el.link})
	if el.trimL != 0 || el.trimR != 0 {
		it := &p.Items[len(p.Items)-1]
		it.Moves = []Move{{0, -el.trimL}, {len(el.text), -el.trimR}}
	}
	rb.run, rb.hasGap, rb.multi = len(p.Items)-1, false, multi
	rb.para, rb.start, rb.stop = el.para, int(el.off), int(el.off)+len(el.text)
	if el.rise != 0 {
		rb.run = -1
	}
}

// dashLigature reports whether the face draws "——" as one glyph (Noto
// CJK does), which needs no bridge.
func (f *Face) dashLigature() bool {
	run := f.shaped("——")
	return run != nil && len(run.glyphs) == 1
}

// bridgeDashes joins the em dashes of each "——" in box el (drawn at x on
// baseline y) into one line: a bar of the dash's own weight fills the
// gap the font leaves between the two glyphs, which would otherwise read
// as two separate strokes (一一).
func bridgeDashes(p *Page, el *elem, x, y float64) {
	d := el.face.dash
	k := el.size / 1000
	off := 0.0
	var prev rune
	for _, r := range el.text {
		if r == '—' && prev == '—' {
			// the previous dash starts at x+off-advance
			left := x + off - el.face.Advance('—')*k + d[1]*k
			right := x + off + d[0]*k
			if right > left {
				p.rect(left, y-d[3]*k, right-left+0.05, (d[3]-d[2])*k, el.color)
			}
		}
		off += el.face.Advance(r) * k
		prev = r
	}
}

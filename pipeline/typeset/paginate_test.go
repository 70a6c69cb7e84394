package typeset

import (
	"fmt"
	"strings"
	"testing"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/templates"
)

func testEngine(t *testing.T, lang string) *engine {
	t.Helper()
	tpl, err := LoadTemplate(templates.FS, "outlook")
	if err != nil {
		t.Fatal(err)
	}
	testFontsOnce.Do(func() { testFonts = NewFontSet(DefaultFontDirs()) })
	pub := &publication.Publication{ID: "t", Title: publication.Text{"en": "T", "zh": "T"}, Date: "2013-01-01"}
	e, err := newEngine(tpl, testFonts, &Edition{Lang: lang, Pub: pub})
	if err != nil {
		t.Fatal(err)
	}
	e.dests = map[string]Dest{}
	return e
}

// pageText joins the text of a page's items.
func pageText(p *Page) string {
	var b strings.Builder
	for _, it := range p.Items {
		b.WriteString(it.Text)
		for _, s := range it.Parts {
			b.WriteString(s)
		}
	}
	return b.String()
}

// TestPagination lays out a long chapter of headings, paragraphs of 1 to 9
// lines with footnotes, and a table longer than a page, then checks where
// every item landed: no paragraph leaves a single line alone at the foot
// or head of a page, a heading is on the page of the first two lines that
// follow it, a table row that opens a page comes after the repeated header,
// and every footnote is on the page of its mark.
func TestPagination(t *testing.T) {
	e := testEngine(t, "en")
	var md strings.Builder
	md.WriteString("---\npublication: t\nchapter: c\nlang: en\ntitle: Test\nauthors: [A]\n---\n")
	word := strings.Fields("regional cooperation on the environment depends on shared data trusted institutions and people who know each other")
	note := 0
	for s := 1; s <= 12; s++ {
		fmt.Fprintf(&md, "# Section %d\n\n", s)
		for p := 0; p < 5; p++ {
			n := 1 + (s*7+p*3)%9 // about n lines
			var para []string
			for w := 0; w < n*12; w++ {
				para = append(para, word[(s+p+w)%len(word)])
			}
			if (s+p)%4 == 0 {
				note++
				para[len(para)/2] += fmt.Sprintf("[^n%d]", note)
			}
			md.WriteString(strings.Join(para, " ") + ".\n\n")
		}
		if s == 6 {
			md.WriteString("Table: A long table {#tbl:long}\n\n| Country | Value | Note |\n|---|---:|---|\n")
			for r := 0; r < 70; r++ {
				fmt.Fprintf(&md, "| Row %d | %d.5 | note %d |\n", r, r*3, r)
			}
			md.WriteString("\n")
		}
	}
	for n := 1; n <= note; n++ {
		fmt.Fprintf(&md, "[^n%d]: Footnote number %d marker%dend.\n\n", n, n, n)
	}
	ch, err := ms.Parse("c.md", []byte(md.String()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ms.Number([]*ms.Chapter{ch}, func(k, n string) string { return n }); err != nil {
		t.Fatal(err)
	}
	ch.Number = 1
	// lay the chapter out block by block, to know which items make each block
	type group struct {
		kind  string
		items []*vitem
	}
	all := e.chapterItems(ch)
	groups := []group{{"open", all[:1]}}
	for i, b := range ch.Blocks {
		groups = append(groups, group{fmt.Sprintf("%T", b), e.block(ch, b, box{0, e.width}, i == 0)})
	}
	var seq []*vitem
	for _, g := range groups {
		seq = append(seq, g.items...)
	}
	type placement struct {
		it   *vitem
		page int
	}
	pageOf := map[*vitem]int{}
	var order []placement
	pg := &paginator{e: e, trace: func(it *vitem, page int) {
		pageOf[it] = page
		order = append(order, placement{it, page})
	}}
	pg.run(seq)
	if len(pg.pages) < 8 {
		t.Fatalf("only %d pages", len(pg.pages))
	}
	paras, headings, notes := 0, 0, 0
	for gi, g := range groups {
		switch g.kind {
		case "*manuscript.Paragraph":
			paras++
			if len(g.items) < 2 {
				continue
			}
			count := map[int]int{}
			for _, it := range g.items {
				count[pageOf[it]]++
			}
			for p, c := range count {
				if c < 2 {
					t.Errorf("paragraph %d of %d lines leaves %d line alone on page %d", gi, len(g.items), c, p)
				}
			}
		case "*manuscript.Heading":
			headings++
			next := groups[gi+1].items
			hp := pageOf[g.items[len(g.items)-1]]
			for k := 0; k < 2 && k < len(next); k++ {
				if pageOf[next[k]] != hp {
					t.Errorf("heading %d on page %d, its line %d on page %d", gi, hp, k+1, pageOf[next[k]])
				}
			}
		}
	}
	// footnotes: find the page of each mark and check the note text is there
	for _, it := range seq {
		for _, fn := range it.notes {
			notes++
			p := pg.pages[pageOf[it]-1]
			if want := fmt.Sprintf("marker%dend", fn.num); !strings.Contains(pageText(p), want) {
				t.Errorf("footnote %d not on page %d with its mark", fn.num, pageOf[it])
			}
		}
	}
	// repeated table headers: a table row never opens a page; the page
	// starts with the header ("(continued)" and the header row) instead
	cont := 0
	for i, pl := range order {
		if pl.it.head == nil {
			continue
		}
		if i == 0 || order[i-1].page != pl.page {
			t.Errorf("table row opens page %d without its header", pl.page)
		} else if prev := order[i-1].it; prev == pl.it.head {
			cont++
			if !strings.Contains(pageText(pg.pages[pl.page-1]), "(continued)") {
				t.Errorf("page %d: repeated header without (continued)", pl.page)
			}
		}
	}
	if cont == 0 {
		t.Error("the long table never continued on a new page")
	}
	if paras < 50 || headings < 12 || notes < 10 {
		t.Fatalf("checked %d paragraphs, %d headings, %d footnotes", paras, headings, notes)
	}
}

// TestNoRuntPages: a chapter of text running over pages never ends on a
// page of fewer than five lines, however long it is: it is tightened or
// loosened by a line or so a page instead.
func TestNoRuntPages(t *testing.T) {
	e := testEngine(t, "en")
	capacity := int((e.bottom - e.top) / e.leading)
	cured := 0
	for n := 3; n <= 2*capacity+12; n++ {
		var md strings.Builder
		md.WriteString("---\npublication: t\nchapter: c\nlang: en\ntitle: Test\nauthors: [A]\n---\n")
		// paragraphs of three lines
		for p := 0; p < n/3; p++ {
			md.WriteString(strings.Repeat("word ", 3*14-4) + "end.\n\n")
		}
		ch, err := ms.Parse("c.md", []byte(md.String()))
		if err != nil {
			t.Fatal(err)
		}
		items := e.chapterItems(ch)
		before := &paginator{e: e, trial: true}
		before.run(items)
		body := &paginator{e: e}
		e.runts = 0
		e.runChapter(body, items)
		pages := body.pages
		if len(pages) < 2 {
			continue
		}
		last := pages[len(pages)-1]
		lines := 0
		for _, it := range last.Items {
			if it.Kind == TextItem {
				lines++
			}
		}
		if lines < minLastPageLines {
			t.Errorf("%d paragraphs: the chapter ends on a page of %d lines", n/3, lines)
		}
		if before.lastFill < float64(minLastPageLines)*e.leading-0.5 && len(before.pages) >= 2 {
			cured++
		}
	}
	if cured == 0 {
		t.Error("no length of chapter needed a cure: the test does not test")
	}
}

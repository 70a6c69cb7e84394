package typeset

import (
	"fmt"
	"strings"
	"testing"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

func TestNumeric(t *testing.T) {
	for s, want := range map[string]bool{
		"61.3": true, "1,354": true, "−8.1": true, "-5": true, "45 %": true, "100": true, "157,000": true,
		"4.2.6": false, "2012-2013": false, "Cambodia": false, "..": false, "1,23": false, "": false, "12a": false,
	} {
		if got := numeric([]ms.Span{{Text: s}}); got != want {
			t.Errorf("numeric(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestTablesNotStranded: wherever a table starts on a page, it leaves
// either none or at least minRowsBeforeBreak of its body rows before a
// page break, and no fewer than two rows on its last page.
func TestTablesNotStranded(t *testing.T) {
	e := testEngine(t, "en")
	for lines := 1; lines <= 60; lines++ {
		var md strings.Builder
		md.WriteString("---\npublication: t\nchapter: c\nlang: en\ntitle: Test\nauthors: [A]\n---\n")
		md.WriteString(strings.Repeat("word ", lines*14) + "\n\nTable: A table {#tbl:a}\n\n| Country | Value |\n|---|---:|\n")
		for r := 0; r < 12; r++ {
			fmt.Fprintf(&md, "| Row %d | %d |\n", r, r)
		}
		ch, err := ms.Parse("c.md", []byte(md.String()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ms.Number([]*ms.Chapter{ch}, func(k, n string) string { return n }); err != nil {
			t.Fatal(err)
		}
		var seq []*vitem
		var table []*vitem
		for i, b := range ch.Blocks {
			its := e.block(ch, b, box{0, e.width}, i == 0)
			if _, ok := b.(*ms.Table); ok {
				table = its
			}
			seq = append(seq, its...)
		}
		rowsOn := map[int]int{}
		isRow := map[*vitem]bool{}
		for _, it := range table {
			if it.head != nil {
				isRow[it] = true
			}
		}
		pg := &paginator{e: e, trace: func(it *vitem, page int) {
			if isRow[it] {
				rowsOn[page]++
			}
		}}
		pg.run(seq)
		if len(rowsOn) < 2 {
			continue
		}
		first, last := 1<<30, 0
		for p := range rowsOn {
			first, last = min(first, p), max(last, p)
		}
		if rowsOn[first] < minRowsBeforeBreak {
			t.Errorf("after %d lines: %d rows before the page break", lines, rowsOn[first])
		}
		if rowsOn[last] < 2 {
			t.Errorf("after %d lines: %d row carried over alone", lines, rowsOn[last])
		}
	}
}

// TestTableColumnsFixedAcrossPages: a table over several pages keeps one
// set of column widths on all of them, even when the rows of its later
// pages alone are wider (their widths come from the whole table, not from
// the rows on each page): every label starts, and every number ends, at
// the same x from the text area's edge on every page.
func TestTableColumnsFixedAcrossPages(t *testing.T) {
	e := testEngine(t, "en")
	var md strings.Builder
	md.WriteString("---\npublication: t\nchapter: c\nlang: en\ntitle: Test\nauthors: [A]\n---\n")
	md.WriteString("Table: A long table {#tbl:a}\n\n| Country | Value | Note |\n|---|---:|---|\n")
	for r := 0; r < 120; r++ {
		label, value := fmt.Sprintf("Row %d", r), fmt.Sprint(r%10)
		if r > 100 { // only on the last page: a wide label and a long number
			label, value = fmt.Sprintf("Row %d of a much longer label than the others", r), fmt.Sprintf("%d,123,456.7", r)
		}
		fmt.Fprintf(&md, "| %s | %s | n%d |\n", label, value, r)
	}
	ch, err := ms.Parse("c.md", []byte(md.String()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ms.Number([]*ms.Chapter{ch}, func(k, n string) string { return n }); err != nil {
		t.Fatal(err)
	}
	body := &paginator{e: e}
	e.runChapter(body, e.chapterItems(ch))
	if len(body.pages) < 3 {
		t.Fatalf("the table takes %d pages, want 3 or more", len(body.pages))
	}
	labelX, numberEnd, noteX := map[float64]int{}, map[float64]int{}, map[float64]int{}
	round := func(v float64) float64 { return float64(int(v*100+0.5)) / 100 }
	for pi, p := range body.pages {
		left := e.left(p.index) // recto and verso mirror their margins
		seen := 0
		for _, it := range p.Items {
			if it.Kind != TextItem {
				continue
			}
			s := it.Text
			if len(it.Parts) > 0 {
				s = strings.Join(it.Parts, " ")
			}
			switch {
			case strings.HasPrefix(s, "Row "):
				labelX[round(it.X-left)]++
				seen++
			case strings.HasPrefix(s, "n") && numeric([]ms.Span{{Text: s[1:]}}):
				noteX[round(it.X-left)]++
			case numeric([]ms.Span{{Text: s}}) && !strings.HasPrefix(s, "Row"):
				numberEnd[round(it.X-left+it.Face.Width(s, it.Size))]++
			}
		}
		if seen == 0 {
			t.Fatalf("page %d holds no row of the table: %q", pi+1, pageText(p))
		}
	}
	for name, xs := range map[string]map[float64]int{"labels start": labelX, "numbers end": numberEnd, "notes start": noteX} {
		if len(xs) != 1 {
			t.Errorf("%s at %d different x over the table's pages: %v", name, len(xs), xs)
		}
	}
}

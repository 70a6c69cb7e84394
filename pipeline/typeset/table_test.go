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

package typeset

import (
	"fmt"
	"strings"
	"testing"
)

// TestPageRuns: an entry's marks become its page references in page
// order, once per page, consecutive arabic pages as a range linked to the
// first; roman pages are never ranged; unplaced marks are left out.
func TestPageRuns(t *testing.T) {
	at := map[string]markPage{
		"a": {folio: "3", n: 3, order: 103}, "b": {folio: "3", n: 3, order: 103}, "c": {folio: "4", n: 4, order: 104},
		"d": {folio: "5", n: 5, order: 105}, "e": {folio: "9", n: 9, order: 109}, "f": {folio: "iii", order: 3},
		"g": {folio: "iv", order: 4}, "h": {folio: "1", n: 1, order: 101},
	}
	pageOf := func(m string) (markPage, bool) { p, ok := at[m]; return p, ok }
	for _, c := range []struct {
		marks []string
		want  string
	}{
		{[]string{"a", "b", "c", "d", "e"}, "3–5@a 9@e"},
		{[]string{"e", "a"}, "3@a 9@e"}, // a footnote's mark read last
		{[]string{"f", "g", "h"}, "iii@f iv@g 1@h"},
		{[]string{"x", "a"}, "3@a"},
		{[]string{"x"}, ""},
	} {
		var got []string
		for _, r := range pageRuns(c.marks, pageOf) {
			got = append(got, r.text()+"@"+r.dest)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%v: got %q, want %q", c.marks, got, c.want)
		}
	}
}

// TestIndexColumns: a long index fills two columns a page, every line
// inside the text area, the columns of the last page balanced, every
// entry present once in order, and each letter heading on the same page
// and column as the entry after it.
func TestIndexColumns(t *testing.T) {
	e := testEngine(t, "en")
	var entries []IndexEntry
	for i := 0; i < 400; i++ {
		en := IndexEntry{Term: fmt.Sprintf("entry%03d", i), Marks: []string{"m"}}
		if i%20 == 0 {
			en.Group = fmt.Sprintf("G%02d", i/20)
		}
		entries = append(entries, en)
	}
	items := e.indexItems(entries, func(string) (markPage, bool) { return markPage{folio: "7", n: 7, order: 7}, true })
	pg := &paginator{e: e}
	pg.run(items)
	if len(pg.pages) < 3 {
		t.Fatalf("%d pages for 400 entries", len(pg.pages))
	}
	var order []string
	for pi, p := range pg.pages {
		var prevGroup *Item
		for i := range p.Items {
			it := &p.Items[i]
			if it.Kind != TextItem {
				continue
			}
			if it.Y > e.bottom+0.01 && !strings.Contains(it.Text, "7") {
				t.Errorf("page %d: %q below the text area", pi+1, it.Text)
			}
			text := it.Text + strings.Join(it.Parts, " ")
			if strings.HasPrefix(text, "entry") {
				order = append(order, strings.TrimPrefix(strings.Fields(text)[0], "entry"))
				if prevGroup != nil && (prevGroup.X != it.X || it.Y < prevGroup.Y) {
					t.Errorf("page %d: heading %q apart from its first entry", pi+1, prevGroup.Text)
				}
				prevGroup = nil
			}
			if strings.HasPrefix(it.Text, "G") {
				prevGroup = it
			}
		}
		if prevGroup != nil {
			t.Errorf("page %d: heading %q ends a column", pi+1, prevGroup.Text)
		}
	}
	if len(order) != 400 {
		t.Fatalf("%d entries printed", len(order))
	}
	for i, n := range order {
		if n != fmt.Sprintf("%03d", i) {
			t.Fatalf("entry %d is %s", i, n)
		}
	}
	// the last page: its two columns within a few lines of each other
	last := pg.pages[len(pg.pages)-1]
	var cols [2]int
	mid := e.left(last.index) + e.width/2
	for _, it := range last.Items {
		if it.Kind == TextItem && strings.HasPrefix(it.Text+strings.Join(it.Parts, " "), "entry") {
			if it.X < mid {
				cols[0]++
			} else {
				cols[1]++
			}
		}
	}
	if d := cols[0] - cols[1]; d < -2 || d > 3 {
		t.Errorf("last page columns hold %d and %d entries", cols[0], cols[1])
	}
}

package build

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// TestIndexEntries: entries are sorted without case, Chinese terms by
// their pinyin, under a letter heading per initial (# for a digit);
// subentries are sorted under their entry; marks stay in reading order.
func TestIndexEntries(t *testing.T) {
	draft := func(id, body string) *ms.Chapter {
		ch, err := ms.Parse(id+".md", []byte("---\npublication: p\nchapter: "+id+"\nlang: en\ntitle: T\nauthors: [A]\n---\n"+body+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	chs := []*ms.Chapter{
		draft("one", `[Mekong]{.index key="Mekong River!delta"} [haze]{.index} [红树林]{.index} [2030 Agenda]{.index}`),
		draft("two", `[Haze]{.index key="haze"} [Mekong]{.index key="Mekong River!basin"} [Mekong]{.index key="Mekong River"} [湄公河]{.index} [ASEAN]{.index} [保护区]{.index}`),
	}
	var b strings.Builder
	for _, e := range indexEntries(chs) {
		if e.Group != "" {
			fmt.Fprintf(&b, "[%s] ", e.Group)
		}
		fmt.Fprintf(&b, "%s %v", e.Term, e.Marks)
		for _, s := range e.Subs {
			fmt.Fprintf(&b, " (%s %v)", s.Term, s.Marks)
		}
		b.WriteString("; ")
	}
	want := "[#] 2030 Agenda [idx:one:4]; [A] ASEAN [idx:two:5]; [B] 保护区 [idx:two:6]; " +
		"[H] haze [idx:one:2 idx:two:1]; 红树林 [idx:one:3]; " +
		"[M] 湄公河 [idx:two:4]; Mekong River [idx:two:3] (basin [idx:two:2]) (delta [idx:one:1]); "
	if got := b.String(); got != want {
		t.Errorf("entries:\n got %s\nwant %s", got, want)
	}
}

// TestIndexPages: every index mark of the sample Outlook lands on a page
// that shows its text, and the index lists that page under its entry; the
// index is the last chapter of each edition and is in the contents. The
// text of the index pages is compared with golden files.
func TestIndexPages(t *testing.T) {
	srcs, outs := buildSamples(t)
	src := srcs["aceo-sample"]
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	fonts := typeset.NewFontSet(typeset.DefaultFontDirs())
	for _, o := range outs["aceo-sample"] {
		ed, err := src.Edition(tpl, o.Lang)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := typeset.Render(tpl, fonts, ed)
		if err != nil {
			t.Fatal(err)
		}
		pages := flatPages(pageTexts(t, o.PDF, false))
		pages = pages[:len(pages)-1] // after the last form feed
		title := tpl.Label(o.Lang, "index")
		at, contents := -1, -1
		for i, p := range pages {
			if strings.HasPrefix(p, title+"\n") {
				at = i
			}
			if strings.HasPrefix(p, tpl.Label(o.Lang, "contents")+"\n") {
				contents = i
			}
		}
		if at < 0 || at < len(pages)-3 || len(pages) != len(doc.Pages) {
			t.Fatalf("%s: the index is not at the end (page %d of %d)", o.Lang, at+1, len(pages))
		}
		if contents < 0 || !strings.Contains(pages[contents]+pages[contents+1], title) {
			t.Errorf("%s: the contents do not list the index", o.Lang)
		}
		index := columnText(doc.Pages[at:])
		marks := 0
		for _, ch := range ed.Chapters {
			ch.IndexMarks(func(s ms.Span) {
				marks++
				d, ok := doc.Dests[typeset.IndexDest(ch.Meta.Chapter, s.IndexMark)]
				if !ok {
					t.Errorf("%s: mark %q of %s was not placed", o.Lang, s.Text, ch.Meta.Chapter)
					return
				}
				if !strings.Contains(squeeze(pages[d.Page-1]), squeeze(s.Text)) {
					t.Errorf("%s: mark %q of %s is on page %d, which does not show it", o.Lang, s.Text, ch.Meta.Chapter, d.Page)
				}
				// the index gives the page's folio on the entry's line
				folio := doc.Pages[d.Page-1].Folio
				term := s.Index
				if _, sub, ok := strings.Cut(term, "!"); ok {
					term = sub
				}
				found := false
				for _, line := range strings.Split(index, "\n") {
					if strings.HasPrefix(line, term+" ") && (strings.Contains(line, " "+folio) || strings.Contains(line, "–"+folio) || strings.Contains(line, folio+"–")) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: the index does not give page %s for %q", o.Lang, folio, s.Index)
				}
			})
		}
		if marks < 15 {
			t.Errorf("%s: only %d index marks in the sample", o.Lang, marks)
		}
		golden(t, filepath.Join("testdata", "golden", "index-"+o.Lang+".txt"), index)
	}
}

// columnText is the text of pages set in two columns, read as a reader
// reads it: per page, the left column then the right, each line's words
// in order. It reads the display list, from which the PDF is written.
func columnText(pages []*typeset.Page) string {
	var b strings.Builder
	for _, p := range pages {
		type word struct {
			x, y float64
			text string
		}
		var words []word
		minX, maxX := 1e9, -1e9
		for _, it := range p.Items {
			if it.Kind != typeset.TextItem {
				continue
			}
			text := it.Text
			if len(it.Parts) > 0 {
				text = strings.Join(it.Parts, " ")
			}
			words = append(words, word{it.X, it.Y, text})
			minX, maxX = min(minX, it.X), max(maxX, it.X)
		}
		mid := (minX + maxX) / 2
		col := func(w word) int {
			if w.x > mid {
				return 1
			}
			return 0
		}
		sort.SliceStable(words, func(i, j int) bool {
			if ci, cj := col(words[i]), col(words[j]); ci != cj {
				return ci < cj
			}
			if words[i].y != words[j].y {
				return words[i].y < words[j].y
			}
			return words[i].x < words[j].x
		})
		for i, w := range words {
			if i > 0 && (w.y != words[i-1].y || col(w) != col(words[i-1])) {
				b.WriteString("\n")
			} else if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(strings.Join(strings.Fields(w.text), " "))
		}
		b.WriteString("\n--- page\n")
	}
	return b.String()
}

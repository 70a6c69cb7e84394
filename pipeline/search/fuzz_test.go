package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSearch: any query, against any section text, ends in a result
// whose snippets are stretches of the text, with a bounded query and
// number of terms.
func FuzzSearch(f *testing.F) {
	for _, q := range []string{"mangroves", "红树林", "PM2.5", "haze\x00", "(a+)+$", strings.Repeat("x", 300), "Việt"} {
		f.Add(q, "Haze from peat fires raises PM2.5. 红树林保护海岸。Việt Nam's mangroves.")
	}
	f.Fuzz(func(t *testing.T, q, text string) {
		if len(text) > 1<<16 {
			return
		}
		ix := Build("p", "r", fixture())
		ix.add(Doc{Lang: "en", Chapter: "x", ChapterTitle: "X", PDF: "p-en.pdf", Page: 1, Text: text})
		ix2, err := Parse("ix", must(ix.Marshal()))
		if err != nil {
			t.Fatal(err)
		}
		r := NewSearcher([]*Index{ix2}).Search(Query{Text: q})
		if utf8.RuneCountInString(r.Query) > MaxQueryRunes || len(r.Terms) > MaxTerms || !utf8.ValidString(r.Query) {
			t.Fatalf("query %q: %d terms", r.Query, len(r.Terms))
		}
		for _, h := range r.Hits {
			var b strings.Builder
			for _, f := range h.Snippet {
				b.WriteString(f.Text)
			}
			inner := strings.TrimSuffix(strings.TrimPrefix(b.String(), "… "), " …")
			if !strings.Contains(strings.ReplaceAll(h.Doc.Text, "\n", " "), inner) {
				t.Fatalf("snippet %q not in the text", inner)
			}
		}
	})
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

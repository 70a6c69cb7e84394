package search

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/reading"
)

func terms(toks []Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Term)
	}
	return out
}

// TestTokens: words are folded and stemmed, stop words dropped, decimals
// kept in their word, diacritics taken off, Chinese cut into bigrams.
func TestTokens(t *testing.T) {
	for in, want := range map[string][]string{
		"PM2.5 levels in the cities":  {"pm2.5", "level", "citi"},
		"Mangroves, mangrove":         {"mangrov", "mangrov"},
		"Việt Nam's coasts":           {"viet", "nam", "coast"},
		"cost-effective 1,000 tonnes": {"cost", "effect", "1,000", "tonn"},
		"湄公河":                         {"湄公", "公河"},
		"红":                           {"红"},
		"the of and":                  nil,
	} {
		if got := terms(Tokens(in, false)); !reflect.DeepEqual(got, want) {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
	// with unigrams (what the index holds), each character too
	if got := terms(Tokens("红树林", true)); !reflect.DeepEqual(got, []string{"红", "树", "林", "红树", "树林"}) {
		t.Errorf("indexed 红树林: %q", got)
	}
	// offsets point at the word as written
	text := "Haze over Việt Nam"
	for _, tok := range Tokens(text, false) {
		if w := text[tok.Start:tok.End]; fold(w) == "" || !strings.HasPrefix(fold(w), tok.Term[:1]) {
			t.Errorf("token %q at %q", tok.Term, w)
		}
	}
}

func fixture() []*reading.Contents {
	en := &reading.Contents{Version: reading.Version, Publication: "p", Lang: "en", PDF: "p-en.pdf", Pages: 20, Chapters: []reading.Chapter{
		{ID: "coasts", Number: "5", Label: "Chapter 5", Title: "Coasts and seas", FirstPage: 3, LastPage: 9, Sections: []reading.Section{
			{Page: 3, Text: "Coastal ecosystems support millions of people."},
			{Number: "5.1", Title: "Mangroves and seagrass", Level: 1, Anchor: "s5.1", Page: 4, Text: "Mangrove forests protect coasts from storms.\nThe region holds a third of the world's mangroves."},
			{Number: "5.2", Title: "Pollution from land", Level: 1, Anchor: "s5.2", Page: 7, Text: "Plastic waste reaches the sea through rivers such as the Mekong."},
		}},
		{ID: "air", Number: "4", Label: "Chapter 4", Title: "Air quality", FirstPage: 10, LastPage: 20, Sections: []reading.Section{
			{Number: "4.2", Title: "Transboundary haze", Level: 1, Anchor: "s4.2", Page: 12, Text: "Haze from peat fires raises PM2.5 far above the guideline. One mangrove note."},
		}},
	}}
	zh := &reading.Contents{Version: reading.Version, Publication: "p", Lang: "zh", PDF: "p-zh.pdf", Pages: 20, Chapters: []reading.Chapter{
		{ID: "coasts", Number: "5", Title: "海岸与海洋", FirstPage: 3, LastPage: 20, Sections: []reading.Section{
			{Number: "5.1", Title: "红树林与海草床", Level: 1, Anchor: "s5.1", Page: 4, Text: "红树林保护海岸免受风暴侵袭。湄公河三角洲的红树林面积下降。"},
		}},
	}}
	return []*reading.Contents{en, zh}
}

// TestSearch: matching sections ranked (the heading counts most), both
// languages, a language filter, snippets with the matches marked, and a
// query nothing matches.
func TestSearch(t *testing.T) {
	ix := Build("p", "2013", fixture())
	data, err := ix.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("index.json", data)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSearcher([]*Index{back})
	r := s.Search(Query{Text: "mangroves"})
	if r.Total != 2 || len(r.Hits) != 2 || r.Hits[0].Doc.Anchor != "s5.1" || r.Hits[1].Doc.Anchor != "s4.2" {
		t.Fatalf("mangroves: %+v", r)
	}
	if r.Hits[0].Publication != "p" || r.Hits[0].Release != "2013" || r.Hits[0].Doc.Page != 4 {
		t.Errorf("hit: %+v", r.Hits[0])
	}
	var marked []string
	for _, f := range r.Hits[0].Snippet {
		if f.Mark {
			marked = append(marked, f.Text)
		}
	}
	if !reflect.DeepEqual(marked, []string{"Mangrove", "mangroves"}) {
		t.Errorf("marked %q", marked)
	}
	if r := s.Search(Query{Text: "红树林"}); r.Total != 1 || r.Hits[0].Doc.Lang != "zh" || !strings.Contains(joinMarked(r.Hits[0].Snippet), "红树林") {
		t.Errorf("红树林: %+v", r)
	}
	if r := s.Search(Query{Text: "湄公河"}); r.Total != 1 || joinMarked(r.Hits[0].Snippet) != "[湄公河]" {
		t.Errorf("湄公河: %+v", r)
	}
	if r := s.Search(Query{Text: "Mekong", Lang: "zh"}); r.Total != 0 || len(r.Hits) != 0 {
		t.Errorf("Mekong in zh: %+v", r)
	}
	if r := s.Search(Query{Text: "pm2.5"}); r.Total != 1 || r.Hits[0].Doc.Anchor != "s4.2" {
		t.Errorf("pm2.5: %+v", r)
	}
	if r := s.Search(Query{Text: "haze mangrove"}); r.Total != 1 || r.Partial || r.Hits[0].Doc.Anchor != "s4.2" {
		t.Errorf("haze mangrove: %+v", r)
	}
	// no section holds both: those that hold one, flagged partial
	if r := s.Search(Query{Text: "plastic peat"}); !r.Partial || r.Total != 0 || len(r.Hits) != 2 {
		t.Errorf("plastic peat: %+v", r)
	}
	if r := s.Search(Query{Text: "glacier"}); r.Total != 0 || len(r.Hits) != 0 || r.Partial {
		t.Errorf("glacier: %+v", r)
	}
}

func joinMarked(fs []Fragment) string {
	var b strings.Builder
	for _, f := range fs {
		if f.Mark {
			b.WriteString("[" + f.Text + "]")
		}
	}
	return b.String()
}

// TestHostileQueries: a very long query is cut and said so, control
// characters and regular-expression syntax are only text, and nothing
// takes long.
func TestHostileQueries(t *testing.T) {
	s := NewSearcher([]*Index{Build("p", "2013", fixture())})
	long := strings.Repeat("mangrove ", 100000)
	r := s.Search(Query{Text: long})
	if !r.Shortened || utf8.RuneCountInString(r.Query) > MaxQueryRunes || len(r.Terms) != 1 || r.Total != 2 {
		t.Errorf("long query: shortened %v, %d runes, terms %q, total %d", r.Shortened, utf8.RuneCountInString(r.Query), r.Terms, r.Total)
	}
	many := ""
	for i := 0; i < 100; i++ {
		many += " word" + strings.Repeat("x", i%7) + string(rune('a'+i%26))
	}
	if r := s.Search(Query{Text: many}); len(r.Terms) > MaxTerms {
		t.Errorf("%d terms", len(r.Terms))
	}
	for _, q := range []string{"(a+)+$", ".*", "[[:alpha:]]", "haze\x00mangrove", "\x00\x00", "\xff\xfe", "%00", "'; DROP TABLE", "<script>alert(1)</script>"} {
		r := s.Search(Query{Text: q})
		if strings.ContainsRune(r.Query, 0) {
			t.Errorf("%q: NUL kept", q)
		}
		if q == "haze\x00mangrove" && r.Total != 1 {
			t.Errorf("%q: NUL should separate words: %+v", q, r)
		}
		if q == ".*" && len(r.Hits) != 0 {
			t.Errorf("%q matched %d", q, len(r.Hits))
		}
	}
}

// TestSnippetCut: a snippet of a long text is about SnippetRunes long,
// cut at word boundaries, with ellipses where it was cut, around the
// matches.
func TestSnippetCut(t *testing.T) {
	text := strings.Repeat("Forests cover much of the region and change fast. ", 30) + "Mangroves line the coast. " + strings.Repeat("Rivers carry sediment to the sea. ", 30)
	fs := Snippet(text, map[string]bool{"mangrov": true})
	var all strings.Builder
	for _, f := range fs {
		all.WriteString(f.Text)
	}
	s := all.String()
	if !strings.HasPrefix(s, "… ") || !strings.HasSuffix(s, " …") || !strings.Contains(s, "Mangroves") {
		t.Errorf("snippet %q", s)
	}
	if n := utf8.RuneCountInString(s); n > SnippetRunes+20 || n < SnippetRunes/2 {
		t.Errorf("snippet of %d runes", n)
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(s, "… "), " …")
	if !strings.Contains(text, inner) {
		t.Errorf("snippet is not a stretch of the text: %q", inner)
	}
}

package typeset

import (
	"strings"
	"testing"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/templates"
)

// TestTextsAgree: the font coverage check and the replacement of
// characters beyond the BMP visit the same texts (manuscript's Texts):
// a character no font covers, put in every kind of text a chapter has,
// is reported at each, and none is left after the replacement. Before
// they shared a visitor, the replacement missed a line chart's years.
func TestTextsAgree(t *testing.T) {
	const odd = "\U0001F600"
	sp := func() []ms.Span { return []ms.Span{{Text: "a" + odd}} }
	ch := &ms.Chapter{File: "c.md", Meta: ms.FrontMatter{Title: "T" + odd, Authors: []string{"A" + odd}},
		Footnotes: map[int][]ms.Span{1: sp()},
		Blocks: []ms.Block{
			&ms.Heading{Level: 2, Content: sp(), At: ms.At{SrcLine: 3}},
			&ms.Paragraph{Content: sp(), At: ms.At{SrcLine: 5}},
			&ms.Quote{Blocks: []ms.Block{&ms.Paragraph{Content: sp(), At: ms.At{SrcLine: 7}}}},
			&ms.Table{Caption: sp(), Header: []ms.Row{{sp()}}, Rows: []ms.Row{{sp()}}, Notes: [][]ms.Span{sp()}, At: ms.At{SrcLine: 9}},
			&ms.Figure{Caption: sp(), At: ms.At{SrcLine: 11}},
			&ms.Chart{Kind: "line", Caption: sp(), Unit: "u" + odd, X: []string{"2010" + odd}, Categories: []string{"c" + odd},
				Series: []ms.Series{{Name: "s" + odd}}, Notes: [][]ms.Span{sp()}, At: ms.At{SrcLine: 13}},
			&ms.CodeBlock{Text: "x" + odd, At: ms.At{SrcLine: 15}},
			&ms.Chart{Kind: "map", Caption: sp(), Unit: "u" + odd, Categories: []string{"c" + odd}, Codes: []string{"KHM"}, Classes: []int{0},
				Series: []ms.Series{{Name: "s" + odd, Values: []float64{1}, Missing: []bool{false}}}, Title: "t" + odd, Legend: []string{"l" + odd},
				Notes: [][]ms.Span{sp()}, At: ms.At{SrcLine: 17}},
		}}
	visited := 0
	ch.Texts(func(ms.Text) { visited++ })
	// title, author, heading, 2 paragraphs, 4 table texts, caption, 6 chart texts, code,
	// 7 map texts (with its legend's title and labels), footnote
	if visited != 25 {
		t.Errorf("Texts visited %d texts, want 25", visited)
	}
	tpl, err := LoadTemplate(templates.FS, "outlook")
	if err != nil {
		t.Fatal(err)
	}
	ed := &Edition{Lang: "en", Chapters: []*ms.Chapter{ch}}
	testFontsOnce.Do(func() { testFonts = NewFontSet(DefaultFontDirs()) })
	miss, err := Uncovered(tpl, testFonts, ed)
	if err != nil {
		t.Fatal(err)
	}
	places := strings.Join(miss['\U0001F600'], " ")
	for _, want := range []string{"c.md:1", "c.md:3", "c.md:5", "c.md:7", "c.md:9", "c.md:11", "c.md:13", "c.md:15", "c.md:17", "c.md:0"} {
		if !strings.Contains(places+" ", want+" ") {
			t.Errorf("the coverage check does not report %s: %s", want, places)
		}
	}
	bmpOnly(ed)
	ch.Texts(func(x ms.Text) {
		s := ""
		if x.Plain != nil {
			s = *x.Plain
		}
		for _, sp := range x.Spans {
			s += sp.Text
		}
		if strings.Contains(s, odd) {
			t.Errorf("a text of role %d at line %d keeps the character: %q", x.Role, x.Line, s)
		}
	})
}

package manuscript

import (
	"fmt"
	"strings"
	"testing"
)

// describeIndex writes a paragraph's spans, index marks as
// ⟨text|entry#mark⟩.
func describeIndex(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Index != "" {
			fmt.Fprintf(&b, "⟨%s|%s#%d⟩", s.Text, s.Index, s.IndexMark)
			continue
		}
		b.WriteString(describe([]Span{s}))
	}
	return b.String()
}

// TestIndexMarks: [text]{.index} indexes its text, key="..." another
// entry, "a!b" a subentry; spaces in an entry are squeezed; marks are
// numbered in the order of the chapter; a mark in code is code, and a
// citation or a cross-reference beside a mark is still read.
func TestIndexMarks(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Replanted [mangroves]{.index} here.", "Replanted ⟨mangroves|mangroves#1⟩ here."},
		{`The [lower Mekong]{.index key="Mekong River"} floods.`, "The ⟨lower Mekong|Mekong River#1⟩ floods."},
		{`The [delta]{.index key="Mekong  River ! delta"} and [haze]{.index}.`, "The ⟨delta|Mekong River!delta#1⟩ and ⟨haze|haze#2⟩."},
		{"[红树林]{.index}正在退化。", "⟨红树林|红树林#1⟩正在退化。"},
		{"In code `[x]{.index}` stays.", "In code [x]{.index} stays."},
		{"See [haze]{.index} [@unep2019] and @sec:intro.", "See ⟨haze|haze#1⟩ {unep2019} and <sec:intro>."},
		{"A [link](https://example.org) is not a mark.", "A link is not a mark."},
	} {
		ch, err := Parse("x.md", []byte(citeDraft(c.in)))
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		spans := ch.Blocks[0].(*Paragraph).Content
		if got := describeIndex(spans); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	// marks are numbered through the chapter, footnotes included
	ch, err := Parse("x.md", []byte(citeDraft("# A [one]{.index}\n\nText [two]{.index}.[^n]\n\n| a |\n|---|\n| [three]{.index} |\n\n[^n]: A [four]{.index}.")))
	if err != nil {
		t.Fatal(err)
	}
	var marks []string
	ch.IndexMarks(func(s Span) { marks = append(marks, fmt.Sprintf("%s#%d", s.Index, s.IndexMark)) })
	if got := strings.Join(marks, " "); got != "one#1 two#2 three#3 four#4" {
		t.Errorf("marks %q", got)
	}
}

// TestIndexMarkErrors: an empty entry, a mark that cannot be read and an
// entry too long are errors at their line.
func TestIndexMarkErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Text\n\nAn [x]{.index key=\"\"} mark.", `x.md:10: index mark "[x]{.index key=\"\"}" has an empty entry`},
		{"Text\n\nAn [*x*]{.index} mark.", `x.md:10: index mark not understood`},
		{"An [x]{.index key=unquoted} mark.", `x.md:8: index mark not understood`},
		{"An [x]{.index key=\"" + strings.Repeat("a", MaxIndexKey+1) + "\"} mark.", "x.md:8: index entry of 201 bytes is longer than the 200 allowed"},
	} {
		_, err := Parse("x.md", []byte(citeDraft(c.in)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.in, err, c.want)
		}
	}
}

// TestIndexMarkLimit: more than MaxIndexMarks marks are refused before
// parsing.
func TestIndexMarkLimit(t *testing.T) {
	body := strings.Repeat("[a]{.index} ", MaxIndexMarks+1)
	_, err := Parse("x.md", []byte(citeDraft(body)))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("more than %d index marks", MaxIndexMarks)) {
		t.Fatalf("got %v", err)
	}
}

// TestFigureAlt: a figure carries its alt text after its label, or alone;
// spaces in it are squeezed; a figure without one is an error at its line.
func TestFigureAlt(t *testing.T) {
	for _, c := range []struct{ in, label, alt string }{
		{`![Cap](figures/a.png){#fig:a alt="A map  of rivers"}`, "fig:a", "A map of rivers"},
		{`![](figures/a.png){alt="一张河流图"}`, "", "一张河流图"},
	} {
		ch, err := Parse("x.md", []byte(citeDraft(c.in)))
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		f, ok := ch.Blocks[0].(*Figure)
		if !ok || f.Label != c.label || f.Alt != c.alt {
			t.Errorf("%q: %+v", c.in, ch.Blocks[0])
		}
	}
	for _, in := range []string{"Text.\n\n![Cap](figures/a.png){#fig:a}", "Text.\n\n![Cap](figures/a.png)", "Text.\n\n![Cap](figures/a.png){#fig:a alt=\"\"}"} {
		_, err := Parse("x.md", []byte(citeDraft(in)))
		if err == nil || !strings.Contains(err.Error(), "x.md:10: figure figures/a.png has no alt text") {
			t.Errorf("%q: %v", in, err)
		}
	}
}

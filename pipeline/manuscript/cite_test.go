package manuscript

import (
	"fmt"
	"strings"
	"testing"
)

func citeDraft(body string) string {
	return "---\npublication: p\nchapter: c\nlang: en\ntitle: T\nauthors: [A]\n---\n" + body + "\n"
}

// describe writes a paragraph's spans, citations as {…}.
func describe(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		switch {
		case s.Cite != nil:
			var items []string
			for _, it := range s.Cite.Items {
				x := it.Key
				if it.Prefix != "" {
					x = it.Prefix + "|" + x
				}
				if it.Locator != "" {
					x += "|" + it.Locator
				}
				if it.SuppressAuthor {
					x = "-" + x
				}
				items = append(items, x)
			}
			n := ""
			if s.Cite.Narrative {
				n = "N:"
			}
			fmt.Fprintf(&b, "{%s%s}", n, strings.Join(items, ";"))
		case s.Ref != "":
			fmt.Fprintf(&b, "<%s>", s.Ref)
		default:
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// TestCitations: pandoc's citation syntax, one case per form; keys never
// collide with cross-references, and an e-mail address is not a citation.
func TestCitations(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"As shown [@unep2019].", "As shown {unep2019}."},
		{"As shown [@unep2019, p. 45].", "As shown {unep2019|p. 45}."},
		{"Two [@smith2020; @jones2018].", "Two {smith2020;jones2018}."},
		{"With a prefix [see @smith2020, pp. 3-4].", "With a prefix {see|smith2020|pp. 3-4}."},
		{"The year alone [-@smith2020].", "The year alone {-smith2020}."},
		{"Narrative: @smith2020 shows it.", "Narrative: {N:smith2020} shows it."},
		{"Narrative with a page @smith2020 [p. 33] says.", "Narrative with a page {N:smith2020|p. 33} says."},
		{"At the end of a sentence @smith2020.", "At the end of a sentence {N:smith2020}."},
		{"A key with a colon [@Smith:2019].", "A key with a colon {Smith:2019}."},
		{"See @sec:intro and [@tbl:forest].", "See <sec:intro> and <tbl:forest>."},
		{"Write to info@unep.org or [the desk].", "Write to info@unep.org or [the desk]."},
		{"Code `@notacite` stays.", "Code @notacite stays."},
	} {
		ch, err := Parse("x.md", []byte(citeDraft(c.in)))
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got := describe(ch.Blocks[0].(*Paragraph).Content); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

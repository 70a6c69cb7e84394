package manuscript

import (
	"strings"
	"testing"
)

const good = "---\npublication: p\nchapter: c\nlang: en\ntitle: T\nauthors: [A]\n---\n"

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"no front matter", "# Title\n", "x.md:1: no front matter"},
		{"unclosed", "---\ntitle: x\n", "x.md:1: front matter is not closed"},
		{"unknown field", "---\npublication: p\nchapter: c\nlang: en\ntitle: T\nauthors: [A]\ntitel: x\n---\n", `x.md:7: unknown field "titel"`},
		{"bad lang", "---\npublication: p\nchapter: c\nlang: fr\ntitle: T\nauthors: [A]\n---\n", `x.md:4: language "fr" is not supported`},
		{"translation without source", "---\npublication: p\nchapter: c\nlang: zh\ntitle: T\nauthors: [A]\n---\n", "does not say what it was translated from"},
		{"invalid utf8", good + "line\nbad \xff byte\n", "x.md:9: not valid UTF-8"},
		{"raw html", good + "\n<div>x</div>\n", "x.md:9: raw HTML block"},
		{"unclosed comment", good + "\n<!-- a note\n\nthe rest\n", "x.md:9: comment never closed"},
		{"text after a comment", good + "\n<!-- a note\nmore -->  lost words\n", "x.md:10: text after the end of a comment"},
		{"image in text", good + "Text ![a](b.png) more\n", "x.md:8: image inside running text"},
		{"caption without table", good + "Table: lonely {#tbl:x}\n", "x.md:8: table caption without a table"},
		{"bad heading label", good + "# Title {#tbl:x}\n", "x.md:8: heading label \"tbl:x\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("x.md", []byte(c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestParseAndNumber(t *testing.T) {
	src := good + `# First {#sec:first}

See @tbl:t and @fig:f and @sec:first and [@sec:c].[^n]

[^n]: A note.

Table: Caption {#tbl:t}

| a | b |
|---|--:|
| x | 1 |

![Figure caption](figures/f.png){#fig:f alt="A figure"}

## Sub

### Third

- one
    1. nested
> quote
`
	ch, err := Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	labels, err := Number([]*Chapter{ch}, func(kind, n string) string { return kind + " " + n })
	if err != nil {
		t.Fatal(err)
	}
	if labels["tbl:t"].Number != "1.1" || labels["fig:f"].Number != "1.1" || labels["sec:first"].Number != "1.1" {
		t.Fatalf("labels %+v", labels)
	}
	p := ch.Blocks[1].(*Paragraph)
	got := PlainText(p.Content)
	if got != "See tbl 1.1 and fig 1.1 and sec 1.1 and ch 1." {
		t.Fatalf("resolved text %q", got)
	}
	if len(ch.Footnotes[1]) == 0 {
		t.Fatal("footnote lost")
	}
	var kinds []string
	ch.Walk(func(b Block) {
		switch b := b.(type) {
		case *Heading:
			kinds = append(kinds, "h"+b.Number)
		case *Table:
			kinds = append(kinds, "table")
		case *Figure:
			kinds = append(kinds, "figure")
		case *List:
			kinds = append(kinds, "list")
		case *Quote:
			kinds = append(kinds, "quote")
		}
	})
	want := "h1.1 table figure h1.1.1 h list list quote"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("blocks %v, want %s", kinds, want)
	}
}

// Comments are notes for authors and editors: they are not printed and
// raise no error, as a block or inside a paragraph.
func TestComments(t *testing.T) {
	src := "---\npublication: p\nchapter: c\nlang: en\ntitle: T\nauthors: [A]\n---\n" +
		"<!-- A note\nover two lines -->\n\nVisible <!-- hidden --> text.\n\n<!-- last -->\n"
	ch, err := Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Blocks) != 1 {
		t.Fatalf("%d blocks, want the paragraph alone: %#v", len(ch.Blocks), ch.Blocks)
	}
	if got := PlainText(ch.Blocks[0].(*Paragraph).Content); strings.Contains(got, "hidden") || !strings.Contains(got, "Visible") || !strings.Contains(got, "text.") {
		t.Fatalf("paragraph %q", got)
	}
}

func TestMissingLabel(t *testing.T) {
	ch, err := Parse("x.md", []byte(good+"\nText\n\nSee @tbl:nowhere here.\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Number([]*Chapter{ch}, func(k, n string) string { return n })
	if err == nil || !strings.Contains(err.Error(), `x.md:11: reference to missing label "tbl:nowhere"`) {
		t.Fatalf("got %v", err)
	}
}

func TestSoftBreakChinese(t *testing.T) {
	ch, err := Parse("x.md", []byte(good+"中文句子\n继续。English\nwords\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := PlainText(ch.Blocks[0].(*Paragraph).Content); got != "中文句子继续。English words" {
		t.Fatalf("%q", got)
	}
}

// TestCJKStrong: "**...**" beside Chinese punctuation, which CommonMark
// leaves as text, is bold; English keeps its literal asterisks.
func TestCJKStrong(t *testing.T) {
	src := "---\npublication: p\nchapter: c\nlang: zh\ntitle: T\nauthors:\n  - Lin Wei (CAEC, China)\ntranslated_from: sha256:" + strings.Repeat("0", 64) + "\n---\n" +
		"1. **制定标准并公开数据。**接近世界卫生组织指导值。\n\n" +
		"数值 \\*\\*a\\*\\* 与 **强调**。\n\n" +
		"Stars \\*\\*stay\\*\\* here.\n"
	ch, err := Parse("c.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	item := ch.Blocks[0].(*List).Items[0][0].(*Paragraph).Content
	if len(item) != 2 || item[0].Text != "制定标准并公开数据。" || item[0].Style != Bold || item[1].Style != 0 {
		t.Errorf("list item spans %+v", item)
	}
	p := ch.Blocks[1].(*Paragraph).Content
	if got := PlainText(p); strings.Contains(got, "*") && !strings.Contains(got, "**a**") {
		t.Errorf("paragraph %q", got)
	}
	var bold []string
	for _, s := range p {
		if s.Style&Bold != 0 {
			bold = append(bold, s.Text)
		}
	}
	if strings.Join(bold, "|") != "强调" {
		t.Errorf("bold %q", bold)
	}
	if got := PlainText(ch.Blocks[2].(*Paragraph).Content); got != "Stars **stay** here." {
		t.Errorf("English %q", got)
	}
}

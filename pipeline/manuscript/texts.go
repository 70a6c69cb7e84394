package manuscript

import "sort"

// Role is what a text of a chapter is, which decides the font it is set
// in: the typesetter's coverage check and its writer agree through it.
type Role int

// Roles of texts.
const (
	RoleTitle   Role = iota // the chapter's title (plain)
	RoleAuthor              // an author's name (plain)
	RoleHeading             // a heading's inline runs
	RoleBody                // paragraphs and footnotes
	RoleTable               // captions, table headers, cells and notes, chart captions, labels and notes
	RoleCode                // a code block's text (plain)
)

// Text is one text of a chapter, visited by Texts: inline runs (Spans)
// or a plain string (Plain), either of which the visitor may change in
// place.
type Text struct {
	Role  Role
	Line  int     // the source line of its block; a span's own Line is finer
	Spans []Span  // inline runs, or nil
	Plain *string // a plain string, or nil
}

// Texts calls fn for every text of the chapter, in reading order: its
// title and authors, then every block's texts, nested blocks included
// (headings, paragraphs, figure captions; a table's caption, header,
// cells and notes; a chart's caption, unit, categories, years, series
// names, legend and notes; code), then its footnotes in their order. The
// cross-references, the font coverage check and the replacement of
// characters no font can hold all visit the texts with it, so they agree
// on what a text is.
func (c *Chapter) Texts(fn func(Text)) {
	fn(Text{Role: RoleTitle, Line: 1, Plain: &c.Meta.Title})
	for i := range c.Meta.Authors {
		fn(Text{Role: RoleAuthor, Line: 1, Plain: &c.Meta.Authors[i]})
	}
	c.Walk(func(b Block) { blockTexts(b, fn) })
	notes := make([]int, 0, len(c.Footnotes))
	for n := range c.Footnotes {
		notes = append(notes, n)
	}
	sort.Ints(notes)
	for _, n := range notes {
		fn(Text{Role: RoleBody, Spans: c.Footnotes[n]})
	}
}

// blockTexts calls fn for the texts of block b itself (not of the blocks
// nested in it).
func blockTexts(b Block, fn func(Text)) {
	spans := func(role Role, line int, sp []Span) { fn(Text{Role: role, Line: line, Spans: sp}) }
	plain := func(role Role, line int, s *string) { fn(Text{Role: role, Line: line, Plain: s}) }
	switch b := b.(type) {
	case *Heading:
		spans(RoleHeading, b.SrcLine, b.Content)
	case *Paragraph:
		spans(RoleBody, b.SrcLine, b.Content)
	case *Figure:
		spans(RoleTable, b.SrcLine, b.Caption)
	case *Table:
		spans(RoleTable, b.SrcLine, b.Caption)
		for _, rows := range [][]Row{b.Header, b.Rows} {
			for _, r := range rows {
				for _, c := range r {
					spans(RoleTable, b.SrcLine, c)
				}
			}
		}
		for _, n := range b.Notes {
			spans(RoleTable, b.SrcLine, n)
		}
	case *Chart:
		spans(RoleTable, b.SrcLine, b.Caption)
		plain(RoleTable, b.SrcLine, &b.Unit)
		for i := range b.Categories {
			plain(RoleTable, b.SrcLine, &b.Categories[i])
		}
		for i := range b.X {
			plain(RoleTable, b.SrcLine, &b.X[i])
		}
		for i := range b.Series {
			plain(RoleTable, b.SrcLine, &b.Series[i].Name)
		}
		if b.Kind == "map" {
			plain(RoleTable, b.SrcLine, &b.Title)
			for i := range b.Legend {
				plain(RoleTable, b.SrcLine, &b.Legend[i])
			}
		}
		for _, n := range b.Notes {
			spans(RoleTable, b.SrcLine, n)
		}
	case *CodeBlock:
		plain(RoleCode, b.SrcLine, &b.Text)
	case *Box:
		plain(RoleTable, b.SrcLine, &b.Title)
	}
}

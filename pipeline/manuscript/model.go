package manuscript

// Style is a set of inline text attributes.
type Style uint8

// Inline styles; they combine.
const (
	Bold Style = 1 << iota
	Italic
	Code
)

// Span is a run of inline text with one style. A span is one of: plain text
// (Text), a link (Text with Link), a footnote mark (Note > 0) or a
// cross-reference (Ref, whose Text the numbering step fills in).
type Span struct {
	Text  string
	Style Style
	Link  string // external URL, or "#label" for an internal destination
	Note  int    // footnote number when this span is a footnote mark
	Ref   string // cross-reference label such as "tbl:forest-cover"
	Line  int    // source line, kept for cross-references and marks
	// Cite, when set, is the citation this span stands for; its Text is
	// the source until the typesetter formats it in the edition's style.
	Cite *Citation
	// Index, when set, is the index entry this span's text is indexed
	// under ("Mekong River", or "Mekong River!fisheries" for a subentry);
	// IndexMark is the mark's order in its chapter, from 1.
	Index     string
	IndexMark int
}

// Block is one block-level element of a chapter.
type Block interface {
	// Line is the source line where the block starts.
	Line() int
}

// At is embedded in blocks to record their source line.
type At struct{ SrcLine int }

// Line returns the block's source line.
func (a At) Line() int { return a.SrcLine }

// Heading is a section heading. Level 1 is a section ("3.2"), 2 a
// subsection ("3.2.1"), 3 an unnumbered sub-subsection.
type Heading struct {
	At
	Level   int
	Label   string // "sec:..." or empty
	Content []Span
	Number  string // filled by Number
	// Unnumbered keeps a generated heading (a chapter's "References")
	// out of the numbering.
	Unnumbered bool
}

// Paragraph is a run of inline content.
type Paragraph struct {
	At
	Content []Span
	// Hanging sets the paragraph ragged with a hanging indent: an entry
	// of a reference list.
	Hanging bool
}

// Box is a fenced div of a chapter: a boxed case study (::: {.box
// #box:mekong title="..."}), numbered per chapter and listed, or the key
// messages that open a chapter (::: {.key-messages}), neither numbered
// nor listed.
type Box struct {
	At
	Kind   string // BoxCase or BoxKeyMessages
	Label  string // "box:..." or empty
	Title  string
	Number string // filled by Number (cases only)
	Blocks []Block
}

// Kinds of boxes.
const (
	BoxCase        = "box"
	BoxKeyMessages = "key-messages"
)

// List is a bulleted or numbered list; each item holds blocks.
type List struct {
	At
	Ordered bool
	Start   int
	Items   [][]Block
}

// Quote is a block quote.
type Quote struct {
	At
	Blocks []Block
}

// Align is a table column's alignment.
type Align uint8

// Column alignments.
const (
	AlignDefault Align = iota
	AlignLeft
	AlignCenter
	AlignRight
)

// Row is one table row: cells of inline content.
type Row [][]Span

// Table is a GFM table with an optional caption and label, or a table
// made from a dataset (an aceo-table block), which also has notes and a
// source line under it.
type Table struct {
	At
	Label   string
	Caption []Span
	Align   []Align
	Header  []Row
	Rows    []Row
	Notes   [][]Span // lines under the table: notes, then the source
	Number  string
	// NoAnnex leaves the table out of the data annex, which gives its
	// content in another form (the plan status table: a bilingual sheet).
	NoAnnex bool
	// Values, for a table made from a dataset, holds parallel to Rows the
	// number of each cell that shows one (nil for text): the typesetter
	// aligns on it and sets its flag marks apart, the data annex writes it.
	Values [][]*CellValue
}

// CellValue is the number a table cell shows: exact, the decimals it is
// printed with, and the marks of its flags ("a", "a b").
type CellValue struct {
	V        float64
	Decimals int
	Marks    string
}

// Figure is an image standing alone in its paragraph, with its alt text as
// caption.
type Figure struct {
	At
	Label string
	// Alt describes the figure for readers who cannot see it (screen
	// readers, the PDF's structure and the HTML edition); required.
	Alt     string
	Src     string // as written in the draft
	Path    string // resolved file path
	Caption []Span
	Number  string
}

// CodeBlock is preformatted text; Info is the fenced block's info string.
type CodeBlock struct {
	At
	Info string
	Text string
}

// Rule is a thematic break.
type Rule struct{ At }

// Chapter is one parsed chapter draft in one language.
type Chapter struct {
	File       string
	Meta       FrontMatter
	Blocks     []Block
	Footnotes  map[int][]Span // by footnote number
	Number     int            // position in the publication, from 1
	Appendix   string         // the appendix letter ("A"), for appendices
	Unnumbered bool           // no number (a preview's preflight report, a front chapter)
	// Front sets the chapter in the front matter, before the contents,
	// with roman folios: a foreword, acknowledgements.
	Front  bool
	Source []byte // the draft as submitted (for hashes)
}

// PlainText returns the text of spans without styles.
func PlainText(spans []Span) string {
	n := 0
	for _, s := range spans {
		n += len(s.Text)
	}
	b := make([]byte, 0, n)
	for _, s := range spans {
		b = append(b, s.Text...)
	}
	return string(b)
}

// Clone returns a deep copy of the chapter's blocks and footnotes, so that
// numbering one edition does not touch another.
func (c *Chapter) Clone() *Chapter {
	cp := *c
	cp.Blocks = cloneBlocks(c.Blocks)
	cp.Footnotes = make(map[int][]Span, len(c.Footnotes))
	for k, v := range c.Footnotes {
		cp.Footnotes[k] = append([]Span(nil), v...)
	}
	return &cp
}

func cloneSpans(s []Span) []Span { return append([]Span(nil), s...) }

func cloneRows(rows []Row) []Row {
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = make(Row, len(r))
		for j, c := range r {
			out[i][j] = cloneSpans(c)
		}
	}
	return out
}

func cloneBlocks(bs []Block) []Block {
	out := make([]Block, len(bs))
	for i, b := range bs {
		switch b := b.(type) {
		case *Heading:
			c := *b
			c.Content = cloneSpans(b.Content)
			out[i] = &c
		case *Paragraph:
			c := *b
			c.Content = cloneSpans(b.Content)
			out[i] = &c
		case *List:
			c := *b
			c.Items = make([][]Block, len(b.Items))
			for k, it := range b.Items {
				c.Items[k] = cloneBlocks(it)
			}
			out[i] = &c
		case *Quote:
			c := *b
			c.Blocks = cloneBlocks(b.Blocks)
			out[i] = &c
		case *Box:
			c := *b
			c.Blocks = cloneBlocks(b.Blocks)
			out[i] = &c
		case *Table:
			c := *b
			c.Caption = cloneSpans(b.Caption)
			c.Notes = append([][]Span(nil), b.Notes...)
			c.Header = cloneRows(b.Header)
			c.Rows = cloneRows(b.Rows)
			out[i] = &c
		case *Figure:
			c := *b
			c.Caption = cloneSpans(b.Caption)
			out[i] = &c
		default:
			out[i] = b
		}
	}
	return out
}

// Series is one named row of values of a chart; Missing marks the values
// there is no data for.
type Series struct {
	Name    string
	Values  []float64
	Missing []bool
}

// Chart is a chart made from a dataset (an aceo-chart or aceo-map
// block), numbered as a figure: Kind "bar" compares countries for one
// year (Categories are the countries, one Series), "line" follows Series
// over X (years), "map" colours the countries on a map of the region.
type Chart struct {
	At
	Label      string
	Caption    []Span
	Kind       string
	Unit       string
	Decimals   int      // for values written out, as in tables
	Categories []string // bar: one label per value
	X          []string // line: the points of the horizontal axis
	Series     []Series
	Notes      [][]Span // notes, then the source
	Number     string
	// A map (Kind "map") colours each country of Codes (ISO alpha-3, one
	// per category) by its class, -1 for no data; Legend names the
	// classes, lowest first; Title heads the legend (the indicator, its
	// unit and year).
	Codes   []string
	Classes []int
	Legend  []string
	Title   string
}

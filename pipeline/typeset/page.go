package typeset

import (
	"sync"

	"github.com/aceo-project/aceo/pipeline/figure"
)

// ItemKind says what an Item draws.
type ItemKind uint8

// Kinds of page items.
const (
	TextItem    ItemKind = iota // Text at (X, Y) baseline
	RuleItem                    // line from (X, Y) to (X+W, Y+H), width LW
	RectItem                    // filled rectangle
	ImageItem                   // image scaled into X, Y, W, H
	LinkItem                    // clickable area to URL or Dest
	PolyItem                    // filled polygon through Points (outlined in Stroke when LW > 0)
	OutlineItem                 // closed outline through Points, width LW
)

// Item is one mark on a page, in points from the top-left corner. The
// layout produces items; the PDF writer only draws them, so layout can be
// tested without reading PDFs.
type Item struct {
	Kind       ItemKind
	X, Y, W, H float64
	Text       string
	Parts      []string  // when set, drawn instead of Text: words with Gaps between
	Gaps       []float64 // space after each part but the last, beyond its width
	Widths     []float64 // the width the layout gave each part (or Text), when known
	Moves      []Move    // moves within Text (an item without Parts): compressed punctuation
	// Tag is the structure element the item's content belongs to, for the
	// tagged PDF; nil or Artifact for page furniture (running heads,
	// folios, rules, repeated table headers)
	Tag *StructNode
	// TrailingSpace: the line this item ends was broken at a word space,
	// drawn after it (invisible, past the line's end) for text extraction
	TrailingSpace bool
	Face          *Face
	Size          float64
	Spacing       float64 // extra space after each character (PDF Tc)
	Color         Color
	Stroke        Color // a polygon's outline, when LW > 0
	LW            float64
	Dash          []float64 // dash pattern of a rule, empty for solid
	Points        []float64 // x, y pairs of a polygon
	URL           string
	Dest          string
	Image         *Image
	// Link is the target of a text item that is the text of a link (its
	// URL, or "#" and its destination): the tagged PDF puts it in the
	// link's Link element with the link's annotations
	Link string
}

// StructNode is an element of the document's logical structure (PDF/UA):
// its standard role (P, H1, Table, TD, Figure, ...), its parent, and for
// a figure the text that stands for it. The layout makes nodes as it
// lays out blocks; the PDF writer builds the tree from the nodes the
// pages' items carry, in reading order.
type StructNode struct {
	Role   string
	Parent *StructNode
	Alt    string // Figure: what it shows
	Scope  string // TH: Column or Row
	Lang   string // when it differs from the document's
}

// Artifact tags page furniture explicitly, where an untagged item would
// take the tag of the block drawing it.
var Artifact = &StructNode{Role: "Artifact"}

// Move shifts the glyphs of a text item from byte At of its Text on by By
// points (negative: to the left), as punctuation compression takes a blank
// half off a mark: the mark's glyph keeps its advance in the font, and the
// text that follows moves back over the blank.
type Move struct {
	At int
	By float64
}

// Image is a raster image to place.
type Image struct {
	Name string // unique per document
	Type string // "png" or "jpg"
	Data []byte
	W, H int // pixels

	mu       sync.Mutex
	prepared map[[2]float64]printed // by placed size, for the editions sharing the image
}

type printed struct {
	typ  string
	data []byte
}

// forPrint is what the PDF embeds for the image placed at w×h points
// (figure.ForPrint), computed once per size.
func (img *Image) forPrint(w, h float64) (string, []byte, error) {
	img.mu.Lock()
	defer img.mu.Unlock()
	key := [2]float64{w, h}
	if p, ok := img.prepared[key]; ok {
		return p.typ, p.data, nil
	}
	typ, data, err := figure.ForPrint(img.Data, w, h)
	if err != nil {
		return "", nil, err
	}
	if img.prepared == nil {
		img.prepared = map[[2]float64]printed{}
	}
	img.prepared[key] = printed{typ, data}
	return typ, data, nil
}

// OutlineEntry is a bookmark: a title at a level and a position.
type OutlineEntry struct {
	Title string
	Level int
	Y     float64
}

// Page is one laid-out page.
type Page struct {
	Items   []Item
	Folio   string // printed page number ("iv", "12"), empty for none
	Outline []OutlineEntry
	Blank   bool

	chapter *chapterHead
	noHead  bool
	front   bool
	index   int // physical page number from 1
}

// Document is a laid-out edition, ready to be written as PDF.
type Document struct {
	Lang     string
	Title    string
	Subject  string
	Author   string
	Keywords string
	Creator  string
	Pages    []*Page
	// Dests maps destination names to their page (from 1) and y.
	Dests  map[string]Dest
	Width  float64
	Height float64
	// Lines counts the justified body lines laid out by this render and
	// their hyphenation (chapters replayed from a layout cache are not
	// counted).
	Lines LineStats
	// Tables counts the tables split across pages by this render, and
	// those of them stranded (fewer than four body rows before the break).
	Tables TableStats
	// Runts counts the chapters that still end on a page of fewer than
	// five lines (neither tightening nor loosening them cured it).
	Runts int
}

// TableStats counts tables that break across pages.
type TableStats struct {
	Split    int
	Stranded int
}

// LineStats counts body lines and their hyphenation.
type LineStats struct {
	Body        int // justified lines of body paragraphs
	Hyphenated  int // of them, lines that end in a hyphen the typesetter added
	Runs3       int // runs of three or more hyphenated lines in a row
	FinalHyphen int // paragraphs whose last line is the end of a hyphenated word alone
	Loose       int // lines stretched to more than twice their spaces' stretch (ratio > 2)
}

// count adds a paragraph's lines.
func (s *LineStats) count(ls []line) {
	run := 0
	for i, ln := range ls {
		s.Body++
		if !ln.last && ln.ratio > 2 {
			s.Loose++
		}
		if ln.hyphen == nil {
			run = 0
			continue
		}
		s.Hyphenated++
		run++
		if run == 3 {
			s.Runs3++
		}
		if i == len(ls)-2 && !hasSpace(ls[i+1]) {
			s.FinalHyphen++
		}
	}
}

// Dest is a link destination.
type Dest struct {
	Page int
	Y    float64
}

func (p *Page) text(x, y float64, face *Face, size float64, c Color, s string) {
	p.Items = append(p.Items, Item{Kind: TextItem, X: x, Y: y, Face: face, Size: size, Color: c, Text: s})
}

func (p *Page) rule(x1, y1, x2, y2, lw float64, c Color) {
	p.Items = append(p.Items, Item{Kind: RuleItem, X: x1, Y: y1, W: x2 - x1, H: y2 - y1, LW: lw, Color: c})
}

func (p *Page) rect(x, y, w, h float64, c Color) {
	p.Items = append(p.Items, Item{Kind: RectItem, X: x, Y: y, W: w, H: h, Color: c})
}

// hasSpace reports whether a line holds a space between words.
func hasSpace(ln line) bool {
	for _, e := range ln.elems {
		if e.kind == eGlue {
			return true
		}
	}
	return false
}

package manuscript

import (
	"unicode"

	"github.com/yuin/goldmark/ast"
	gparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/width"
)

// cjkEmphasis parses "*" delimiter runs as goldmark's emphasis parser
// does, with the rule of the CJK-friendly emphasis proposal for
// CommonMark (github.com/tats-u/markdown-cjk-friendly): a run between two
// characters that are not whitespace, one of them Chinese, Japanese or
// Korean, may both open and close. So "**制定标准。**接近" is bold, though
// its closing run sits between punctuation and a letter, which CommonMark
// alone does not allow; English keeps CommonMark's rules, and an escaped
// "\*" stays an asterisk, as the delimiters are found by the parser itself.
// It runs before goldmark's own emphasis parser, which keeps "_".
type cjkEmphasis struct{}

func (cjkEmphasis) Trigger() []byte { return []byte{'*'} }

func (cjkEmphasis) Parse(parent ast.Node, block text.Reader, pc gparser.Context) ast.Node {
	before := block.PrecendingCharacter()
	line, segment := block.PeekLine()
	d := gparser.ScanDelimiter(line, before, 1, emphasisProcessor{})
	if d == nil {
		return nil
	}
	after := ' '
	if d.OriginalLength < len(line) {
		after = util.ToRune(line, d.OriginalLength)
	}
	if !util.IsSpaceRune(before) && !util.IsSpaceRune(after) && (isCJK(before) || isCJK(after)) {
		d.CanOpen, d.CanClose = true, true
	}
	d.Segment = segment.WithStop(segment.Start + d.OriginalLength)
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// emphasisProcessor matches "*" runs into emphasis, as goldmark's own.
type emphasisProcessor struct{}

func (emphasisProcessor) IsDelimiter(b byte) bool { return b == '*' }

func (emphasisProcessor) CanOpenCloser(opener, closer *gparser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (emphasisProcessor) OnMatch(consumes int) ast.Node { return ast.NewEmphasis(consumes) }

// isCJK reports whether r is a Chinese, Japanese or Korean character or
// punctuation: East Asian Wide, Fullwidth or Halfwidth and not an emoji
// (beyond the BMP's symbols), or Hangul.
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide:
		return r < 0x1F000 // the emoji and pictographs are wide too
	case width.EastAsianFullwidth, width.EastAsianHalfwidth:
		return true
	}
	return unicode.Is(unicode.Hangul, r)
}

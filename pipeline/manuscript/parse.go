package manuscript

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	gparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/width"
)

// markdown is the CommonMark parser with the extensions drafts may use.
var markdown = goldmark.New(goldmark.WithExtensions(
	extension.Table,
	extension.Footnote,
	extension.NewCJK(extension.WithEscapedSpace()),
), goldmark.WithParserOptions(gparser.WithInlineParsers(util.Prioritized(cjkEmphasis{}, 499)),
	gparser.WithBlockParsers(util.Prioritized(divParser{}, 750))))

// ReadFile reads and parses the chapter draft at path.
func ReadFile(path string) (*Chapter, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read draft: %w", err)
	}
	return Parse(path, src)
}

// Parse parses a chapter draft named file. Every problem found is reported,
// each with its line. When only the text has problems (the front matter
// is sound), the chapter is returned with them.
func Parse(file string, src []byte) (*Chapter, error) {
	if err := checkUTF8(file, src); err != nil {
		return nil, err
	}
	orig := src
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	yml, body, err := splitFrontMatter(file, src)
	if err != nil {
		return nil, err
	}
	fm, fmErr := parseFrontMatter(file, yml)
	if errs := checkLimits(file, body); len(errs) > 0 {
		// over a limit: not parsed at all (the parse could take too long)
		var all diag.List
		all.Merge(fmErr)
		return nil, append(all, errs...)
	}
	p := &parser{file: file, src: body, lines: lineStarts(body)}
	p.errs.Merge(fmErr) // every problem at once: the front matter's and the text's
	doc := markdown.Parser().Parse(text.NewReader(body))
	ch := &Chapter{File: file, Meta: fm, Footnotes: map[int][]Span{}, Source: orig}
	ch.Blocks = p.blocks(doc, ch)
	ch.Blocks = attachCaptions(ch.Blocks, p)
	if err := p.errs.Err(); err != nil {
		if fmErr == nil {
			// the front matter is sound: the chapter comes back with the
			// problems of its text, so that a check can go on to judge it
			// in its publication and report everything at once
			return ch, err
		}
		return nil, err
	}
	return ch, nil
}

type parser struct {
	file  string
	src   []byte
	lines []int
	errs  diag.List
	// indexMarks counts the chapter's index marks
	indexMarks int
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// line returns the 1-based line of byte offset off.
func (p *parser) line(off int) int {
	return sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off })
}

// nodeLine finds the source line of n from its position or the first
// descendant that has one.
func (p *parser) nodeLine(n ast.Node) int {
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return p.line(l.At(0).Start)
		}
	}
	if t, ok := n.(*ast.Text); ok {
		return p.line(t.Segment.Start)
	}
	if pos := n.Pos(); pos >= 0 {
		return p.line(pos)
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if l := p.nodeLine(c); l > 0 {
			return l
		}
	}
	return 0
}

func (p *parser) errorf(line int, hint, format string, args ...any) {
	p.errs.Add(&diag.Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

func (p *parser) blocks(parent ast.Node, ch *Chapter) []Block {
	var out []Block
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		if b := p.block(n, ch); b != nil {
			out = append(out, b)
		}
	}
	return out
}

var (
	attrRE = regexp.MustCompile(`\s*\{#((?:sec|tbl|fig):[A-Za-z0-9_.-]+)\}\s*$`)
	// a figure's attributes: its label and its alt text, either or both
	figAttrRE = regexp.MustCompile(`^\{\s*(?:#((?:sec|tbl|fig):[A-Za-z0-9_.-]+))?\s*(?:alt="([^"]*)")?\s*\}$`)
	refRE     = regexp.MustCompile(`\[?@((?:sec|tbl|fig|box):[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\]?`)
)

func (p *parser) block(n ast.Node, ch *Chapter) Block {
	at := At{p.nodeLine(n)}
	switch n := n.(type) {
	case *ast.Heading:
		spans := p.inlines(n, 0)
		label := takeLabel(&spans)
		if label != "" && !strings.HasPrefix(label, "sec:") {
			p.errorf(at.SrcLine, "label headings with {#sec:name}", "heading label %q is not a section label", label)
		}
		if n.Level > 3 {
			p.errorf(at.SrcLine, "use # for sections, ## for subsections and ### below that", "heading level %d is deeper than the three levels a chapter may use", n.Level)
		}
		return &Heading{At: at, Level: n.Level, Label: label, Content: spans}
	case *ast.Paragraph, *ast.TextBlock:
		if fig := p.figure(n, at); fig != nil {
			return fig
		}
		spans := p.inlines(n, 0)
		if len(spans) == 0 {
			return nil
		}
		return &Paragraph{At: at, Content: spans}
	case *ast.List:
		l := &List{At: at, Ordered: n.IsOrdered(), Start: n.Start}
		if l.Start == 0 {
			l.Start = 1
		}
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			l.Items = append(l.Items, p.blocks(item, ch))
		}
		return l
	case *ast.Blockquote:
		return &Quote{At: at, Blocks: p.blocks(n, ch)}
	case *divNode:
		return p.div(n, at, ch)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(p.src))
		}
		info := ""
		if f, ok := n.(*ast.FencedCodeBlock); ok {
			// a fenced block starts at its fence, the line before its text
			if f.Info != nil {
				info = string(f.Info.Segment.Value(p.src))
				at.SrcLine = p.line(f.Info.Segment.Start)
			} else if lines.Len() > 0 {
				at.SrcLine = max(1, p.line(lines.At(0).Start)-1)
			}
		}
		return &CodeBlock{At: at, Info: info, Text: strings.TrimRight(b.String(), "\n")}
	case *ast.ThematicBreak:
		return &Rule{At: at}
	case *ast.HTMLBlock:
		if n.HTMLBlockType == ast.HTMLBlockType2 {
			// <!-- a comment -->: a note for authors and editors, not
			// printed (as in pandoc); text after its end would be lost
			var b strings.Builder
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(p.src))
			}
			if n.HasClosure() {
				b.Write(n.ClosureLine.Value(p.src))
			}
			text := b.String()
			end := strings.LastIndex(text, "-->")
			switch {
			case end < 0:
				p.errorf(at.SrcLine, "close it with --> where the comment should end", "comment never closed: the rest of the chapter would be hidden")
			case strings.TrimSpace(text[end+3:]) != "":
				p.errorf(at.SrcLine+strings.Count(text[:end], "\n"), "put the text after --> on a line of its own", "text after the end of a comment would not be printed")
			}
			return nil
		}
		p.errorf(at.SrcLine, "write the content in Markdown; raw HTML does not reach the PDF", "raw HTML block")
		return nil
	case *east.Table:
		return p.table(n, at)
	case *east.FootnoteList:
		for f := n.FirstChild(); f != nil; f = f.NextSibling() {
			fn, ok := f.(*east.Footnote)
			if !ok {
				continue
			}
			var spans []Span
			for c := fn.FirstChild(); c != nil; c = c.NextSibling() {
				if len(spans) > 0 {
					spans = append(spans, Span{Text: " "})
				}
				spans = append(spans, p.inlines(c, 0)...)
			}
			ch.Footnotes[fn.Index] = spans
		}
		return nil
	}
	p.errorf(at.SrcLine, "", "unsupported Markdown element %s", n.Kind())
	return nil
}

// figure recognises a paragraph holding only an image (and a label).
func (p *parser) figure(n ast.Node, at At) *Figure {
	img, ok := n.FirstChild().(*ast.Image)
	if !ok {
		return nil
	}
	var attrs strings.Builder
	for c := img.NextSibling(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok {
			return nil
		}
		attrs.Write(t.Segment.Value(p.src))
	}
	label, alt := "", ""
	if s := strings.TrimSpace(attrs.String()); s != "" {
		m := figAttrRE.FindStringSubmatch(s)
		if m == nil || (m[1] == "" && m[2] == "") {
			return nil
		}
		label, alt = m[1], strings.Join(strings.Fields(m[2]), " ")
	}
	if label != "" && !strings.HasPrefix(label, "fig:") {
		p.errorf(at.SrcLine, "label figures with {#fig:name}", "figure label %q is not a figure label", label)
	}
	if alt == "" {
		p.errorf(at.SrcLine, `describe what the figure shows for readers who cannot see it: ![Caption](figures/name.png){#fig:name alt="A line chart of ..."}`,
			"figure %s has no alt text", string(img.Destination))
	}
	return &Figure{At: at, Label: label, Alt: alt, Src: string(img.Destination), Caption: p.inlines(img, 0)}
}

func (p *parser) table(n *east.Table, at At) *Table {
	t := &Table{At: at}
	for _, a := range n.Alignments {
		t.Align = append(t.Align, map[east.Alignment]Align{
			east.AlignLeft: AlignLeft, east.AlignRight: AlignRight, east.AlignCenter: AlignCenter,
		}[a])
	}
	for r := n.FirstChild(); r != nil; r = r.NextSibling() {
		var row Row
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			row = append(row, p.inlines(c, 0))
		}
		if _, ok := r.(*east.TableHeader); ok {
			t.Header = append(t.Header, row)
		} else {
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// inlines converts the inline children of n to spans in style st.
func (p *parser) inlines(n ast.Node, st Style) []Span {
	var out []Span
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		out = append(out, p.inline(c, st)...)
	}
	spans := mergeSpans(splitRefs(splitCites(p.splitIndex(mergeSpans(out)))))
	p.unknownRefs(spans, n)
	return spans
}

// otherRefRE finds what looks like a cross-reference of a kind aceo does
// not number (@eq:one, @lst:code), which would otherwise print as it is.
var otherRefRE = regexp.MustCompile(`\[?@([a-z]{2,8}):[A-Za-z0-9_-]+`)

// unknownRefs reports references of an unknown kind in plain text spans.
func (p *parser) unknownRefs(spans []Span, n ast.Node) {
	for _, s := range spans {
		if s.Ref != "" || s.Cite != nil || s.Link != "" || s.Style&Code != 0 || !strings.Contains(s.Text, "@") {
			continue
		}
		for _, loc := range otherRefRE.FindAllStringSubmatchIndex(s.Text, -1) {
			at := loc[0]
			if s.Text[at] == '[' {
				at++
			}
			if at > 0 && isWordByte(s.Text[at-1]) {
				continue // an e-mail address
			}
			kind := s.Text[loc[2]:loc[3]]
			line := s.Line
			if line == 0 {
				line = p.nodeLine(n)
			}
			p.errorf(line, "refer to sections, tables and figures with @sec:, @tbl: and @fig: (a chapter is @sec:<chapter id>); to print the text as it is, write it as code: `"+s.Text[at:loc[1]]+"`",
				"cross-reference %q is of a kind aceo does not number (%s:)", s.Text[at:loc[1]], kind)
		}
	}
}

func (p *parser) inline(n ast.Node, st Style) []Span {
	switch n := n.(type) {
	case *ast.Text:
		v := n.Segment.Value(p.src)
		if !n.IsRaw() {
			// as goldmark's HTML writer does: backslash escapes and
			// character references become the characters they stand for
			v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
		}
		s := string(v)
		out := []Span{{Text: s, Style: st, Line: p.line(n.Segment.Start)}}
		switch {
		case n.HardLineBreak():
			out = append(out, Span{Text: "\n", Style: st})
		case n.SoftLineBreak():
			// A line break inside a paragraph is a space, except between
			// two Chinese characters, where it is nothing.
			out = append(out, Span{Text: softBreak(s, p.nextText(n)), Style: st})
		}
		return out
	case *ast.String:
		return []Span{{Text: string(n.Value), Style: st}}
	case *ast.Emphasis:
		s := st | Italic
		if n.Level >= 2 {
			s = st | Bold
		}
		return p.inlines(n, s)
	case *ast.CodeSpan:
		var b strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				b.Write(t.Segment.Value(p.src))
			} else if s, ok := c.(*ast.String); ok {
				b.Write(s.Value)
			}
		}
		return []Span{{Text: b.String(), Style: st | Code}}
	case *ast.Link:
		spans := p.inlines(n, st)
		for i := range spans {
			spans[i].Link = string(n.Destination)
		}
		return spans
	case *ast.AutoLink:
		u := string(n.URL(p.src))
		return []Span{{Text: string(n.Label(p.src)), Style: st, Link: u}}
	case *east.FootnoteLink:
		return []Span{{Note: n.Index, Style: st, Line: p.nodeLine(n)}}
	case *ast.Image:
		p.errorf(p.nodeLine(n), "put the image in a paragraph of its own: ![Caption](figures/name.png){#fig:name}", "image inside running text")
		return nil
	case *ast.RawHTML:
		if segs := n.Segments; segs.Len() > 0 && bytes.HasPrefix(p.src[segs.At(0).Start:segs.At(0).Stop], []byte("<!--")) {
			return nil // a comment, not printed
		}
		p.errorf(p.nodeLine(n), "write it in Markdown; raw HTML does not reach the PDF", "raw HTML in text")
		return nil
	}
	return p.inlines(n, st)
}

// nextText returns the start of the text that follows n, for deciding how a
// soft line break reads.
func (p *parser) nextText(n ast.Node) string {
	for c := n.NextSibling(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return string(t.Segment.Value(p.src))
		}
		if c.FirstChild() == nil {
			break
		}
	}
	return ""
}

func softBreak(before, after string) string {
	var last, first rune
	for _, r := range before {
		last = r
	}
	for _, r := range after {
		first = r
		break
	}
	if IsWide(last) || IsWide(first) {
		return ""
	}
	return " "
}

// IsWide reports whether r is East Asian Wide or Fullwidth (UAX #11, by
// golang.org/x/text/width): Chinese characters, the ideographic space and
// punctuation, full-width forms. No space is written between such
// characters, and a line may break beside them.
func IsWide(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	}
	return false
}

// splitRefs turns "@tbl:x" inside text spans into cross-reference spans.
func splitRefs(in []Span) []Span {
	var out []Span
	for _, s := range in {
		if s.Link != "" || s.Note != 0 || s.Cite != nil || s.Style&Code != 0 || !strings.Contains(s.Text, "@") {
			out = append(out, s)
			continue
		}
		txt := s.Text
		for {
			loc := refRE.FindStringSubmatchIndex(txt)
			if loc == nil {
				break
			}
			start, end := loc[0], loc[1]
			if start > 0 && txt[start] == '@' && isWordByte(txt[start-1]) {
				// an e-mail address, not a reference
				s2 := s
				s2.Text = txt[:end]
				out = append(out, s2)
				txt = txt[end:]
				continue
			}
			label := txt[loc[2]:loc[3]]
			label = strings.TrimRight(label, ".")
			end = loc[2] + len(label)
			if txt[start] == '[' && end < len(txt) && txt[end] == ']' {
				end++
			}
			if start > 0 {
				s2 := s
				s2.Text = txt[:start]
				out = append(out, s2)
			}
			out = append(out, Span{Ref: label, Style: s.Style, Line: s.Line})
			txt = txt[end:]
		}
		if txt != "" {
			s.Text = txt
			out = append(out, s)
		}
	}
	return out
}

func isWordByte(b byte) bool {
	return b == '_' || b == '.' || b == '-' || (b >= '0' && b <= '9') || (b|0x20 >= 'a' && b|0x20 <= 'z')
}

// mergeSpans joins neighbouring plain spans of the same style.
func mergeSpans(in []Span) []Span {
	var out []Span
	// a run of mergeable spans is joined once, at its end: appending to
	// a string span by span was quadratic in the run's length
	var run strings.Builder
	runLen := 0
	flush := func() {
		if runLen > 1 {
			out[len(out)-1].Text = run.String()
		}
		run.Reset()
		runLen = 0
	}
	for _, s := range in {
		if s.Text == "" && s.Note == 0 && s.Ref == "" {
			continue
		}
		if k := len(out) - 1; k >= 0 && runLen > 0 && plain(out[k]) && plain(s) && out[k].Style == s.Style && out[k].Link == s.Link {
			run.WriteString(s.Text)
			runLen++
			continue
		}
		flush()
		out = append(out, s)
		run.WriteString(s.Text)
		runLen = 1
	}
	flush()
	return out
}

func plain(s Span) bool {
	return s.Note == 0 && s.Ref == "" && s.Cite == nil && s.Index == "" && s.Text != "\n"
}

// takeLabel removes a trailing {#kind:name} from spans and returns it.
func takeLabel(spans *[]Span) string {
	s := *spans
	if len(s) == 0 {
		return ""
	}
	last := &s[len(s)-1]
	m := attrRE.FindStringSubmatch(last.Text)
	if m == nil {
		return ""
	}
	last.Text = attrRE.ReplaceAllString(last.Text, "")
	if strings.TrimSpace(last.Text) == "" {
		*spans = s[:len(s)-1]
	}
	trimRight(spans)
	return m[1]
}

func trimRight(spans *[]Span) {
	s := *spans
	if len(s) > 0 {
		s[len(s)-1].Text = strings.TrimRight(s[len(s)-1].Text, " \t")
	}
}

var captionRE = regexp.MustCompile(`^(?:Table:|表:|表：|:)\s*`)

// attachCaptions joins a "Table: ..." or ": ..." paragraph to the table it
// precedes or follows, pandoc style.
func attachCaptions(blocks []Block, p *parser) []Block {
	var out []Block
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		switch b := b.(type) {
		case *List:
			for k := range b.Items {
				b.Items[k] = attachCaptions(b.Items[k], p)
			}
		case *Quote:
			b.Blocks = attachCaptions(b.Blocks, p)
		}
		para, ok := b.(*Paragraph)
		if !ok || len(para.Content) == 0 || !captionRE.MatchString(para.Content[0].Text) {
			out = append(out, b)
			continue
		}
		var tbl *Table
		if i+1 < len(blocks) {
			if t, ok := blocks[i+1].(*Table); ok && t.Caption == nil {
				tbl = t
			}
		}
		if tbl == nil && len(out) > 0 {
			if t, ok := out[len(out)-1].(*Table); ok && t.Caption == nil {
				tbl = t
			}
		}
		if tbl == nil {
			p.errorf(para.SrcLine, "put the caption line directly above or below its table, separated by one blank line", "table caption without a table")
			continue
		}
		spans := append([]Span(nil), para.Content...)
		spans[0].Text = captionRE.ReplaceAllString(spans[0].Text, "")
		tbl.Label = takeLabel(&spans)
		if tbl.Label != "" && !strings.HasPrefix(tbl.Label, "tbl:") {
			p.errorf(para.SrcLine, "label tables with {#tbl:name}", "table label %q is not a table label", tbl.Label)
		}
		tbl.Caption = spans
	}
	return out
}

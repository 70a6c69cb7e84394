package manuscript

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
)

// RefFormat gives the text of a cross-reference in one language, for kind
// "ch" (chapter), "appx" (appendix), "sec", "tbl" or "fig" and a number
// such as "3.2" or "A.1".
type RefFormat func(kind, number string) string

// Target is what a label names.
type Target struct {
	Kind   string // ch, sec, tbl, fig
	Number string
	File   string
	Line   int
}

// CodeUnresolved marks a reference to a label no chapter defines. The
// build reports it as an error, or as a warning while some chapter of the
// edition has no draft yet (the label may be in it).
const CodeUnresolved = "unresolved-reference"

// Number numbers the chapters of one edition in order (headings "3.2" and
// "3.2.1", tables and figures "3.1", "3.2"...; in an appendix "A.1"), then replaces every
// cross-reference with its text from format. A chapter's id is also a
// label: "@sec:<chapter id>" refers to the chapter. Duplicate labels and
// references to missing labels are errors naming file and line.
func Number(chapters []*Chapter, format RefFormat) (map[string]Target, error) {
	var errs diag.List
	labels := map[string]Target{}
	define := func(label string, t Target) {
		if label == "" {
			return
		}
		if prev, ok := labels[label]; ok {
			errs.Add(diag.At(t.File, t.Line, fmt.Sprintf("label %q is already used", label),
				fmt.Sprintf("it is defined at %s:%d; give each label a unique name", prev.File, prev.Line)))
			return
		}
		labels[label] = t
	}
	count := 0
	for _, ch := range chapters {
		if ch.Unnumbered {
			continue
		}
		count++
		ch.Number = count
		n, kind := strconv.Itoa(ch.Number), "ch"
		if ch.Appendix != "" {
			n, kind = ch.Appendix, "appx"
		}
		define("sec:"+ch.Meta.Chapter, Target{Kind: kind, Number: n, File: ch.File, Line: 1})
		var sec, sub, tbl, fig, box int
		// a table or figure without a caption is unnumbered and not
		// listed, as in pandoc; a label on it is an error, having no
		// number to refer to
		unnumbered := func(caption []Span, label string, line int, kind, hint string) bool {
			if len(caption) > 0 {
				return false
			}
			if label != "" {
				errs.Add(diag.At(ch.File, line, fmt.Sprintf("%s {#%s} has no caption, so it has no number to refer to", kind, label), hint))
			}
			return true
		}
		// next numbers the next table or figure of the chapter and defines
		// its label
		next := func(counter *int, kind, label string, line int) string {
			*counter++
			num := fmt.Sprintf("%s.%d", n, *counter)
			define(label, Target{Kind: kind, Number: num, File: ch.File, Line: line})
			return num
		}
		walk(ch.Blocks, func(b Block) {
			switch b := b.(type) {
			case *Heading:
				switch {
				case b.Unnumbered:
				case b.Level == 1:
					sec++
					sub = 0
					b.Number = fmt.Sprintf("%s.%d", n, sec)
				case b.Level == 2:
					sub++
					b.Number = fmt.Sprintf("%s.%d.%d", n, sec, sub)
				}
				kind := "sec"
				define(b.Label, Target{Kind: kind, Number: b.Number, File: ch.File, Line: b.SrcLine})
				if b.Label != "" && b.Number == "" {
					errs.Add(diag.At(ch.File, b.SrcLine, "a label on an unnumbered heading cannot be referred to",
						"label only # and ## headings"))
				}
			case *Table:
				if unnumbered(b.Caption, b.Label, b.SrcLine, "table", "add a caption line 'Table: What it shows {#"+b.Label+"}' above or below the table") {
					b.Number = ""
					return
				}
				b.Number = next(&tbl, "tbl", b.Label, b.SrcLine)
			case *Figure:
				if unnumbered(b.Caption, b.Label, b.SrcLine, "figure", "write the caption between the brackets: ![What it shows](figures/name.png){#"+b.Label+" alt=\"...\"}") {
					b.Number = ""
					return
				}
				b.Number = next(&fig, "fig", b.Label, b.SrcLine)
			case *Chart:
				b.Number = next(&fig, "fig", b.Label, b.SrcLine)
			case *Box:
				if b.Kind == BoxCase {
					b.Number = next(&box, "box", b.Label, b.SrcLine)
				}
			}
		})
	}
	errs = append(errs, resolveRefs(chapters, labels, format)...)
	return labels, errs.Err()
}

// resolveRefs writes every cross-reference of the chapters as its
// target's number ("Table 3.2"), linked; a label no chapter defines is an
// error, with the nearest label as a hint.
func resolveRefs(chapters []*Chapter, labels map[string]Target, format RefFormat) diag.List {
	var errs diag.List
	known := make([]string, 0, len(labels))
	for l := range labels {
		known = append(known, l)
	}
	sort.Strings(known)
	for _, ch := range chapters {
		resolve := func(spans []Span) {
			for i := range spans {
				s := &spans[i]
				if s.Ref == "" {
					continue
				}
				t, ok := labels[s.Ref]
				if !ok {
					e := diag.At(ch.File, s.Line, fmt.Sprintf("reference to missing label %q", s.Ref),
						"check the spelling, or add {#"+s.Ref+"} to the "+kindName(s.Ref)+" it should point to")
					if near := diag.Nearest(s.Ref, known); near != "" {
						e.Hint = fmt.Sprintf("did you mean @%s? ", near) + e.Hint
					}
					e.Code = CodeUnresolved
					errs.Add(e)
					s.Text = "??"
					continue
				}
				s.Text = format(t.Kind, t.Number)
				s.Link = "#" + s.Ref
			}
		}
		ch.Texts(func(t Text) {
			if t.Spans != nil {
				resolve(t.Spans)
			}
		})
	}
	return errs
}

func kindName(label string) string {
	switch {
	case strings.HasPrefix(label, "tbl:"):
		return "table caption"
	case strings.HasPrefix(label, "fig:"):
		return "figure"
	}
	return "heading"
}

// walk calls fn for every block, depth first, including blocks inside lists
// and quotes.
func walk(blocks []Block, fn func(Block)) {
	for _, b := range blocks {
		fn(b)
		switch b := b.(type) {
		case *List:
			for _, it := range b.Items {
				walk(it, fn)
			}
		case *Quote:
			walk(b.Blocks, fn)
		case *Box:
			walk(b.Blocks, fn)
		}
	}
}

// Walk calls fn for every block of the chapter, depth first.
func (c *Chapter) Walk(fn func(Block)) { walk(c.Blocks, fn) }

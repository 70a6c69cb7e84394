package typeset

import (
	"fmt"
	"sort"
	"strings"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// Uncovered lists, before any layout, the characters of an edition that
// no font of the role they are set in covers, with where they occur
// ("file:line"): the check a preflight makes so that a missing glyph is
// known before rendering. Body text is checked against the serif roles,
// headings, tables, captions and charts against the sans ones, code
// against mono.
func Uncovered(t *Template, fs *FontSet, ed *Edition) (map[rune][]string, error) {
	st, err := t.Stacks(fs, ed.Lang)
	if err != nil {
		return nil, err
	}
	out := map[rune][]string{}
	check := func(role, text, where string) {
		for _, r := range text {
			if r < 0x20 || r == '\u00a0' || r == ' ' || r == '\u200b' {
				continue
			}
			if _, ok := st[role].FaceFor(r); !ok {
				places := out[r]
				if len(places) == 0 || places[len(places)-1] != where {
					out[r] = append(places, where)
				}
			}
		}
	}
	serif := func(s ms.Style) string {
		switch {
		case s&ms.Code != 0:
			return "mono"
		case s&ms.Bold != 0 && s&ms.Italic != 0:
			return "serif-bolditalic"
		case s&ms.Bold != 0:
			return "serif-bold"
		case s&ms.Italic != 0:
			return "serif-italic"
		}
		return "serif"
	}
	sans := func(s ms.Style) string {
		switch {
		case s&ms.Code != 0:
			return "mono"
		case s&ms.Bold != 0:
			return "sans-bold"
		}
		return "sans"
	}
	for _, ch := range ed.Chapters {
		at := func(line int) string { return fmt.Sprintf("%s:%d", ch.File, line) }
		check("sans-bold", ch.Meta.Title, at(1))
		for _, a := range ch.Meta.Authors {
			check("serif-italic", a, at(1))
		}
		spans := func(sp []ms.Span, role func(ms.Style) string, line int) {
			for _, s := range sp {
				l := line
				if s.Line > 0 {
					l = s.Line
				}
				check(role(s.Style), s.Text, at(l))
			}
		}
		ch.Walk(func(b ms.Block) {
			switch b := b.(type) {
			case *ms.Heading:
				spans(b.Content, func(ms.Style) string { return "sans-bold" }, b.SrcLine)
			case *ms.Paragraph:
				spans(b.Content, serif, b.SrcLine)
			case *ms.Table:
				spans(b.Caption, sans, b.SrcLine)
				for _, r := range append(append([]ms.Row{}, b.Header...), b.Rows...) {
					for _, c := range r {
						spans(c, sans, b.SrcLine)
					}
				}
				for _, n := range b.Notes {
					spans(n, sans, b.SrcLine)
				}
			case *ms.Figure:
				spans(b.Caption, sans, b.SrcLine)
			case *ms.Chart:
				spans(b.Caption, sans, b.SrcLine)
				check("sans", b.Unit, at(b.SrcLine))
				for _, c := range append(append([]string{}, b.Categories...), b.X...) {
					check("sans", c, at(b.SrcLine))
				}
				for _, s := range b.Series {
					check("sans", s.Name, at(b.SrcLine))
				}
				for _, n := range b.Notes {
					spans(n, sans, b.SrcLine)
				}
			case *ms.CodeBlock:
				check("mono", b.Text, at(b.SrcLine))
			}
		})
		notes := make([]int, 0, len(ch.Footnotes))
		for n := range ch.Footnotes {
			notes = append(notes, n)
		}
		sort.Ints(notes)
		for _, n := range notes {
			spans(ch.Footnotes[n], serif, 0)
		}
	}
	return out, nil
}

// bmpOnly replaces characters beyond the Basic Multilingual Plane, which
// no font of the PDF writer can hold, with U+FFFD, in a draft edition
// (a release stops on them: no font covers them).
func bmpOnly(ed *Edition) {
	fix := func(s string) string {
		for _, r := range s {
			if r > 0xFFFF {
				return strings.Map(func(r rune) rune {
					if r > 0xFFFF {
						return '\uFFFD'
					}
					return r
				}, s)
			}
		}
		return s
	}
	spans := func(sp []ms.Span) {
		for i := range sp {
			sp[i].Text = fix(sp[i].Text)
		}
	}
	for _, ch := range ed.Chapters {
		ch.Meta.Title = fix(ch.Meta.Title)
		for i := range ch.Meta.Authors {
			ch.Meta.Authors[i] = fix(ch.Meta.Authors[i])
		}
		for _, f := range ch.Footnotes {
			spans(f)
		}
		ch.Walk(func(b ms.Block) {
			switch b := b.(type) {
			case *ms.Heading:
				spans(b.Content)
			case *ms.Paragraph:
				spans(b.Content)
			case *ms.Table:
				spans(b.Caption)
				for _, r := range append(append([]ms.Row{}, b.Header...), b.Rows...) {
					for _, c := range r {
						spans(c)
					}
				}
				for _, n := range b.Notes {
					spans(n)
				}
			case *ms.Figure:
				spans(b.Caption)
			case *ms.Chart:
				spans(b.Caption)
				b.Unit = fix(b.Unit)
				for i := range b.Categories {
					b.Categories[i] = fix(b.Categories[i])
				}
				for i := range b.Series {
					b.Series[i].Name = fix(b.Series[i].Name)
				}
				for _, n := range b.Notes {
					spans(n)
				}
			case *ms.CodeBlock:
				b.Text = fix(b.Text)
			}
		})
	}
}

package typeset

import (
	"fmt"
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
	// where is formatted only for a character no face has: a chapter's
	// thousands of spans are otherwise checked without an allocation
	check := func(role, text, file string, line int) {
		stack := st[role]
		for _, r := range text {
			if r < 0x20 || r == '\u00a0' || r == ' ' || r == '\u200b' {
				continue
			}
			if _, ok := stack.FaceFor(r); !ok {
				where := fmt.Sprintf("%s:%d", file, line)
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
	plainRole := map[ms.Role]string{ms.RoleTitle: "sans-bold", ms.RoleAuthor: "serif-italic", ms.RoleTable: "sans", ms.RoleCode: "mono"}
	for _, ch := range ed.Chapters {
		ch.Texts(func(t ms.Text) {
			if t.Plain != nil {
				check(plainRole[t.Role], *t.Plain, ch.File, t.Line)
				return
			}
			role := serif
			switch t.Role {
			case ms.RoleHeading:
				role = func(ms.Style) string { return "sans-bold" }
			case ms.RoleTable:
				role = sans
			}
			for _, s := range t.Spans {
				l := t.Line
				if s.Line > 0 {
					l = s.Line
				}
				check(role(s.Style), s.Text, ch.File, l)
			}
		})
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
	for _, ch := range ed.Chapters {
		ch.Texts(func(t ms.Text) {
			if t.Plain != nil {
				*t.Plain = fix(*t.Plain)
			}
			for i := range t.Spans {
				t.Spans[i].Text = fix(t.Spans[i].Text)
			}
		})
	}
}

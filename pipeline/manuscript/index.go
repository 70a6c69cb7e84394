package manuscript

import (
	"regexp"
	"strings"
)

// An index mark is a pandoc bracketed span of class index: [mangroves]{.index}
// prints "mangroves" and indexes the place under "mangroves";
// [the lower Mekong]{.index key="Mekong River"} prints "the lower Mekong"
// and indexes it under "Mekong River". A key "Mekong River!fisheries"
// makes "fisheries" a subentry of "Mekong River". The span keeps the
// entry in Index and its order in the chapter in IndexMark, which names
// the place the index's page numbers link to.

var (
	indexRE = regexp.MustCompile(`\[([^\[\]]+)\]\{\.index(?:[ \t]+key="([^"\[\]{}]*)")?[ \t]*\}`)
	// what is left of a mark that indexRE did not read
	indexLeftRE = regexp.MustCompile(`\]\{\.index\b`)
)

// MaxIndexKey is the longest index entry, in bytes.
const MaxIndexKey = 200

// splitIndex turns the index marks inside plain text spans into spans
// of their text with Index set, and reports a mark it cannot read.
func (p *parser) splitIndex(in []Span) []Span {
	var out []Span
	for _, s := range in {
		if s.Link != "" || s.Note != 0 || s.Ref != "" || s.Cite != nil || s.Style&Code != 0 || !strings.Contains(s.Text, "]{.index") {
			out = append(out, s)
			continue
		}
		txt := s.Text
		for {
			m := indexRE.FindStringSubmatchIndex(txt)
			if m == nil {
				break
			}
			if m[0] > 0 {
				s2 := s
				s2.Text = txt[:m[0]]
				out = append(out, s2)
			}
			shown := txt[m[2]:m[3]]
			key := shown
			if m[4] >= 0 {
				key = txt[m[4]:m[5]]
			}
			key = normalizeIndexKey(key)
			switch {
			case key == "":
				p.errorf(s.Line, `give the entry: [text]{.index key="entry"}, or drop the mark`, "index mark %q has an empty entry", txt[m[0]:m[1]])
			case len(key) > MaxIndexKey:
				p.errorf(s.Line, "shorten the entry", "index entry of %d bytes is longer than the %d allowed", len(key), MaxIndexKey)
			default:
				p.indexMarks++
				out = append(out, Span{Text: shown, Style: s.Style, Line: s.Line, Index: key, IndexMark: p.indexMarks})
			}
			txt = txt[m[1]:]
		}
		if loc := indexLeftRE.FindStringIndex(txt); loc != nil {
			p.errorf(s.Line, `write an index mark as [text]{.index} or [text]{.index key="entry"}, with plain text inside the brackets`, "index mark not understood: %q", clip(txt, loc[0]))
		}
		if txt != "" {
			s2 := s
			s2.Text = txt
			out = append(out, s2)
		}
	}
	return out
}

// clip is up to 40 bytes of s around offset at, for a message.
func clip(s string, at int) string {
	from := max(0, at-20)
	to := min(len(s), at+20)
	for from > 0 && from < len(s) && s[from]&0xC0 == 0x80 {
		from--
	}
	for to < len(s) && s[to]&0xC0 == 0x80 {
		to++
	}
	return s[from:to]
}

// normalizeIndexKey trims an entry and its subentry and squeezes their
// spaces, so that "Mekong  River" and "Mekong River" are one entry.
func normalizeIndexKey(k string) string {
	main, sub, has := strings.Cut(k, "!")
	main = strings.Join(strings.Fields(main), " ")
	sub = strings.Join(strings.Fields(sub), " ")
	if !has || sub == "" {
		return main
	}
	if main == "" {
		return ""
	}
	return main + "!" + sub
}

// BlockIndexMarks calls fn for every index mark in the texts of block b
// itself, not of the blocks nested in it.
func BlockIndexMarks(b Block, fn func(Span)) {
	blockTexts(b, func(t Text) {
		for _, s := range t.Spans {
			if s.Index != "" {
				fn(s)
			}
		}
	})
}

// IndexMarks calls fn for every index mark of the chapter, in reading
// order, footnotes last.
func (c *Chapter) IndexMarks(fn func(Span)) {
	c.Texts(func(t Text) {
		for _, s := range t.Spans {
			if s.Index != "" {
				fn(s)
			}
		}
	})
}

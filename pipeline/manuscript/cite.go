package manuscript

import (
	"regexp"
	"strings"
)

// Citation is a citation of works of the bibliography, in pandoc's syntax:
// [@unep2019, p. 45], [@a; @b], [see @smith2020], [-@smith2020] (the year
// alone), or narrative @smith2020 (optionally followed by [p. 45]). The
// typesetter replaces its span's text with the citation formatted in the
// edition's style.
type Citation struct {
	Items     []CitationItem
	Narrative bool
}

// CitationItem is one work cited.
type CitationItem struct {
	Key            string
	Prefix         string
	Locator        string
	SuppressAuthor bool
}

// Keys lists the keys a citation cites.
func (c *Citation) Keys() []string {
	out := make([]string, len(c.Items))
	for i, it := range c.Items {
		out[i] = it.Key
	}
	return out
}

// xrefKinds are the prefixes of cross-references (and those reserved for
// them): "@sec:intro" is never a citation key.
var xrefKinds = map[string]bool{"sec": true, "tbl": true, "fig": true, "box": true, "eq": true, "lst": true, "ch": true, "app": true}

// isCitationKey reports whether key is a citation key, not a
// cross-reference.
func isCitationKey(key string) bool {
	if key == "" {
		return false
	}
	if i := strings.IndexByte(key, ':'); i > 0 && xrefKinds[key[:i]] {
		return false
	}
	return true
}

var (
	// a bracketed group with an @ and no nested brackets
	citeGroupRE = regexp.MustCompile(`\[([^\[\]]*@[^\[\]]*)\]`)
	// a key as pandoc reads it: a letter, digit or _, then these and
	// internal punctuation; trailing punctuation is not part of it
	citeKeyRE = regexp.MustCompile(`^(-?)@([A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*)`)
	// a narrative citation, with an optional locator in brackets
	narrativeRE = regexp.MustCompile(`@([A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*)(?: \[([^\[\]@]*)\])?`)
)

// trimKey drops the punctuation that ends a sentence or clause after a
// key (@smith2020. or @smith2020:), which is not part of it.
func trimKey(k string) string {
	return strings.TrimRight(k, ".:,;?!/-~#$%&+<>")
}

// parseCiteGroup reads the inside of [...] as citation items; ok is false
// when it is not a citation (an item without a key, or a cross-reference).
func parseCiteGroup(s string) (*Citation, bool) {
	c := &Citation{}
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		at := strings.Index(part, "@")
		if at < 0 {
			return nil, false
		}
		it := CitationItem{Prefix: strings.TrimSpace(part[:at])}
		rest := part[at:]
		if strings.HasSuffix(it.Prefix, "-") && (len(it.Prefix) == 1 || it.Prefix[len(it.Prefix)-2] == ' ') {
			it.Prefix, it.SuppressAuthor = strings.TrimSpace(strings.TrimSuffix(it.Prefix, "-")), true
		}
		m := citeKeyRE.FindStringSubmatch(rest)
		if m == nil {
			return nil, false
		}
		it.Key = trimKey(m[2])
		rest = rest[len(m[1])+1+len(it.Key):]
		if !isCitationKey(it.Key) {
			return nil, false
		}
		rest = strings.TrimSpace(rest)
		if strings.HasPrefix(rest, ",") {
			it.Locator = strings.TrimSpace(rest[1:])
		} else if rest != "" {
			it.Locator = rest
		}
		c.Items = append(c.Items, it)
	}
	return c, len(c.Items) > 0
}

// splitCites turns the citations inside text spans into citation spans:
// bracketed groups first, then narrative @key (not inside a word: an
// e-mail address is not a citation). Cross-references are left to
// splitRefs.
func splitCites(in []Span) []Span {
	var out []Span
	for _, s := range in {
		if s.Link != "" || s.Note != 0 || s.Ref != "" || s.Cite != nil || s.Index != "" || s.Style&Code != 0 || !strings.Contains(s.Text, "@") {
			out = append(out, s)
			continue
		}
		out = append(out, splitCiteText(s)...)
	}
	return out
}

func splitCiteText(s Span) []Span {
	var out []Span
	txt := s.Text
	emit := func(t string) {
		if t != "" {
			s2 := s
			s2.Text = t
			out = append(out, s2)
		}
	}
	// the next bracketed group is found once and kept until passed, so
	// that a paragraph of many narrative citations is read in one pass
	var gAbs []int // its indexes in s.Text
	for txt != "" {
		base := len(s.Text) - len(txt)
		if gAbs == nil || gAbs[0] < base {
			gAbs = nil
			if m := citeGroupRE.FindStringSubmatchIndex(txt); m != nil {
				gAbs = []int{m[0] + base, m[1] + base, m[2] + base, m[3] + base}
			} else {
				gAbs = []int{len(s.Text) + 1}
			}
		}
		var g []int
		if gAbs[0] <= len(s.Text) {
			g = []int{gAbs[0] - base, gAbs[1] - base, gAbs[2] - base, gAbs[3] - base}
		}
		n := narrativeIndex(txt)
		if g != nil && n != nil && n[0] < g[0] && n[1] > g[0] {
			n = nil // a narrative match running into the group: the group first
		}
		switch {
		case g != nil && (n == nil || g[0] <= n[0]):
			if c, ok := parseCiteGroup(txt[g[2]:g[3]]); ok {
				emit(txt[:g[0]])
				out = append(out, Span{Text: txt[g[0]:g[1]], Style: s.Style, Line: s.Line, Cite: c})
				txt = txt[g[1]:]
				continue
			}
			// not a citation: keep the text up to the group's end
			emit(txt[:g[1]])
			txt = txt[g[1]:]
		case n != nil:
			key := trimKey(txt[n[2]:n[3]])
			end := n[2] + len(key)
			c := &Citation{Narrative: true, Items: []CitationItem{{Key: key}}}
			if n[4] >= 0 && end == n[3] {
				c.Items[0].Locator = strings.TrimSpace(txt[n[4]:n[5]])
				end = n[1]
			}
			emit(txt[:n[0]])
			out = append(out, Span{Text: txt[n[0]:end], Style: s.Style, Line: s.Line, Cite: c})
			txt = txt[end:]
		default:
			emit(txt)
			txt = ""
		}
	}
	return out
}

// narrativeIndex finds the first narrative citation in txt: an @ that
// does not follow a word character, with a citation key.
func narrativeIndex(txt string) []int {
	off := 0
	for {
		m := narrativeRE.FindStringSubmatchIndex(txt[off:])
		if m == nil {
			return nil
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += off
			}
		}
		at := m[0]
		key := trimKey(txt[m[2]:m[3]])
		if (at == 0 || !isWordByte(txt[at-1])) && isCitationKey(key) && key != "" {
			return m
		}
		off = m[1]
	}
}

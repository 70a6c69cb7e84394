package build

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/bib"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// indexEntries collects the index marks of an edition's chapters into
// the entries of its back-of-book index, sorted as the edition's readers
// look them up: by their letters without case or accents, Chinese terms
// by their pinyin (so the Chinese index is in pinyin order), under a
// letter heading for each initial. Each entry keeps its marks in reading
// order; "term!sub" makes a subentry.
func indexEntries(chs []*ms.Chapter) []typeset.IndexEntry {
	type acc struct {
		term  string
		marks []string
		subs  map[string]*acc
	}
	byTerm := map[string]*acc{}
	for _, ch := range chs {
		ch.IndexMarks(func(s ms.Span) {
			main, sub, _ := strings.Cut(s.Index, "!")
			a := byTerm[main]
			if a == nil {
				a = &acc{term: main, subs: map[string]*acc{}}
				byTerm[main] = a
			}
			dest := typeset.IndexDest(ch.Meta.Chapter, s.IndexMark)
			if sub == "" {
				a.marks = append(a.marks, dest)
				return
			}
			b := a.subs[sub]
			if b == nil {
				b = &acc{term: sub}
				a.subs[sub] = b
			}
			b.marks = append(b.marks, dest)
		})
	}
	sorted := func(m map[string]*acc) []*acc {
		out := make([]*acc, 0, len(m))
		for _, a := range m {
			out = append(out, a)
		}
		sort.Slice(out, func(i, j int) bool {
			ki, kj := bib.Romanize(out[i].term), bib.Romanize(out[j].term)
			if ki != kj {
				return ki < kj
			}
			return out[i].term < out[j].term
		})
		return out
	}
	var out []typeset.IndexEntry
	group := ""
	for _, a := range sorted(byTerm) {
		en := typeset.IndexEntry{Term: a.term, Marks: a.marks}
		for _, b := range sorted(a.subs) {
			en.Subs = append(en.Subs, typeset.IndexEntry{Term: b.term, Marks: b.marks})
		}
		if g := indexGroup(a.term); g != group {
			en.Group, group = g, g
		}
		out = append(out, en)
	}
	return out
}

// indexGroup is the letter heading of a term: the upper-case initial of
// its letters (of its pinyin for a Chinese term), or "#" for a term that
// starts with a digit or a symbol.
func indexGroup(term string) string {
	r, _ := utf8.DecodeRuneInString(bib.Romanize(term))
	if r >= 'a' && r <= 'z' {
		return string(unicode.ToUpper(r))
	}
	return "#"
}

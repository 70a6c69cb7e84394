package build

import (
	"fmt"
	"slices"

	"github.com/aceo-project/aceo/pipeline/diag"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// editionTexts are the texts of chapters a reader sees (not code), for
// finding the terms they use.
func editionTexts(chs []*ms.Chapter) []string {
	var out []string
	for _, ch := range chs {
		ch.Texts(func(x ms.Text) {
			switch {
			case x.Role == ms.RoleCode:
			case x.Plain != nil:
				out = append(out, *x.Plain)
			default:
				out = append(out, ms.PlainText(x.Spans))
			}
		})
	}
	return out
}

// terms gives the edition's list of abbreviations (every glossary term
// its chapters use) and, when some of those terms have a definition in
// lang, the glossary: an unnumbered chapter at the back.
func (s *Sources) terms(chs []*ms.Chapter, t *typeset.Template, lang string) ([]typeset.Abbreviation, *ms.Chapter) {
	if s.Glossary == nil {
		return nil, nil
	}
	used := s.Glossary.Used(editionTexts(chs))
	var abbrs []typeset.Abbreviation
	var blocks []ms.Block
	for _, e := range used {
		abbrs = append(abbrs, typeset.Abbreviation{Term: e.Term, Text: e.Expansion(lang)})
		def := e.Definition[lang]
		if def == "" {
			continue
		}
		open, close, colon := " (", ")", ": "
		if lang == "zh" {
			open, close, colon = "（", "）", "："
		}
		blocks = append(blocks, &ms.Paragraph{Hanging: true, Content: []ms.Span{
			{Text: e.Term, Style: ms.Bold}, {Text: open + e.Expansion(lang) + close + colon + def}}})
	}
	if len(blocks) == 0 {
		return abbrs, nil
	}
	return abbrs, &ms.Chapter{File: "glossary", Unnumbered: true, Blocks: blocks,
		Meta: ms.FrontMatter{Publication: s.Pub.ID, Chapter: "glossary", Lang: lang, Title: t.Label(lang, "glossary")}}
}

// missingAbbreviations warns, for a publication with a glossary, of the
// all-capital tokens of two to six letters the authors' text of a chapter
// of ed uses (not the reference lists, citations or tables made from
// datasets) that the glossary does not explain, each at its first use.
func (f *flight) missingAbbreviations(ed *typeset.Edition) {
	g := f.src.Glossary
	if g == nil || ed == nil {
		return
	}
	for _, ch := range ed.Chapters {
		if ch.Appendix != "" || ch.Unnumbered {
			continue // generated text
		}
		seen := map[string]bool{}
		check := func(spans []ms.Span, line int) {
			for _, sp := range spans {
				if sp.Cite != nil || sp.Ref != "" || sp.Style&ms.Code != 0 {
					continue
				}
				for _, w := range g.Missing([]string{sp.Text}) {
					if seen[w] {
						continue
					}
					seen[w] = true
					l := sp.Line
					if l == 0 {
						l = line
					}
					f.add("warning", "", &diag.Error{Code: CodeAbbreviation, File: ch.File, Line: l,
						Msg:  fmt.Sprintf("%s is not in the glossary", w),
						Hint: fmt.Sprintf("add it to %s (term: %s, en: ..., zh: ...), or write it out", f.src.Pub.Glossary, w)})
				}
			}
		}
		ch.Walk(func(b ms.Block) {
			switch b := b.(type) {
			case *ms.Paragraph:
				if !b.Hanging { // a reference list's entry
					check(b.Content, b.SrcLine)
				}
			case *ms.Heading:
				check(b.Content, b.SrcLine)
			case *ms.Figure:
				check(b.Caption, b.SrcLine)
			case *ms.Table:
				if b.Notes == nil { // typed by the authors, not made from a dataset
					check(b.Caption, b.SrcLine)
					for _, rows := range [][]ms.Row{b.Header, b.Rows} {
						for _, r := range rows {
							for _, c := range r {
								check(c, b.SrcLine)
							}
						}
					}
				}
			}
		})
		for _, n := range sortedNotes(ch) {
			check(ch.Footnotes[n], 0)
		}
	}
}

// sortedNotes lists a chapter's footnote numbers in order.
func sortedNotes(ch *ms.Chapter) []int {
	out := make([]int, 0, len(ch.Footnotes))
	for n := range ch.Footnotes {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

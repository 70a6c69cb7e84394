package build

import (
	"fmt"
	"strings"

	"github.com/aceo-project/aceo/pipeline/annex"
	"github.com/aceo-project/aceo/pipeline/bib"
	"github.com/aceo-project/aceo/pipeline/diag"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// cite formats the citations of an edition's chapters in the style of its
// language (author-date in English, GB/T 7714-2015 author-year in
// Chinese) and adds the reference lists of the works cited: at the end of
// each chapter, or, when the template says references: book, in a chapter
// of their own after the last chapter. A key that no bibliography of the
// publication has is an error at its line; in a draft it prints as the
// key and a question mark.
func (s *Sources) cite(chs []*ms.Chapter, t *typeset.Template, lang string) ([]*ms.Chapter, diag.List) {
	var probs diag.List
	var all []string
	perChapter := make([][]string, len(chs))
	reported := map[string]bool{}
	for i, ch := range chs {
		eachCitedKey(ch, func(k string, line int) {
			if _, ok := s.Bib.Entry(k); ok {
				perChapter[i] = append(perChapter[i], k)
				all = append(all, k)
				return
			}
			where := fmt.Sprintf("%s:%d:%s", ch.File, line, k)
			if !reported[where] {
				reported[where] = true
				probs.Add(s.unknownKey(ch, line, k))
			}
		})
	}
	if len(all) == 0 && len(probs) == 0 {
		return chs, nil
	}
	style := bib.NewStyle(lang, s.Bib, all)
	for _, ch := range chs {
		ch.Texts(func(x ms.Text) {
			for i := range x.Spans {
				if c := x.Spans[i].Cite; c != nil {
					x.Spans[i].Text = style.Citation(bibCite(c))
				}
			}
		})
	}
	title := t.Label(lang, "references")
	if title == "references" {
		title = style.ListTitle()
	}
	if t.References == "book" {
		if len(all) > 0 {
			chs = append(chs, &ms.Chapter{File: "references", Unnumbered: true, Blocks: referenceBlocks(style, all),
				Meta: ms.FrontMatter{Publication: s.Pub.ID, Chapter: "references", Lang: lang, Title: title}})
		}
		return chs, probs
	}
	for i, ch := range chs {
		if len(perChapter[i]) == 0 {
			continue
		}
		ch.Blocks = append(ch.Blocks, &ms.Heading{Level: 1, Unnumbered: true, Content: []ms.Span{{Text: title}}})
		ch.Blocks = append(ch.Blocks, referenceBlocks(style, perChapter[i])...)
	}
	return chs, probs
}

// unknownKey is the problem of a citation of key, which no bibliography
// of the publication has.
func (s *Sources) unknownKey(ch *ms.Chapter, line int, key string) *diag.Error {
	e := diag.At(ch.File, line, fmt.Sprintf("citation of %q, which no bibliography of the publication has", key), "")
	e.Code = CodeCitation
	switch files := s.Pub.Bibliography; {
	case len(files) == 0:
		e.Hint = "name the bibliography files in publication.yaml (bibliography: [refs.bib]), or correct the key"
	default:
		e.Hint = "add the work to " + strings.Join(files, " or ") + ", or correct the key"
		if near := diag.Nearest(key, s.Bib.Keys()); near != "" {
			e.Hint = fmt.Sprintf("did you mean @%s? Or add the work to %s", near, strings.Join(files, " or "))
		}
	}
	return e
}

// bibCite is a citation of the manuscript as the styles take it.
func bibCite(c *ms.Citation) bib.Cite {
	out := bib.Cite{Narrative: c.Narrative}
	for _, it := range c.Items {
		out.Items = append(out.Items, bib.CiteItem{Key: it.Key, Prefix: it.Prefix, Locator: it.Locator, SuppressAuthor: it.SuppressAuthor})
	}
	return out
}

// referenceBlocks is the reference list of the works keys, as paragraphs
// with a hanging indent; titles in italics, DOIs and URLs linked.
func referenceBlocks(style *bib.Style, keys []string) []ms.Block {
	var out []ms.Block
	for _, runs := range style.References(keys) {
		p := &ms.Paragraph{Hanging: true}
		for _, r := range runs {
			sp := ms.Span{Text: r.Text, Link: r.Link}
			if r.Italic {
				sp.Style = ms.Italic
			}
			p.Content = append(p.Content, sp)
		}
		out = append(out, p)
	}
	return out
}

// references lists the works the chapters of ed cite, in the order of the
// English reference list, with their entries in both styles, for the
// data annex.
func (s *Sources) references(ed *typeset.Edition) []annex.Reference {
	if s.Bib == nil || ed == nil {
		return nil
	}
	var keys []string
	for _, ch := range ed.Chapters {
		eachCitedKey(ch, func(k string, _ int) {
			if _, ok := s.Bib.Entry(k); ok {
				keys = append(keys, k)
			}
		})
	}
	if len(keys) == 0 {
		return nil
	}
	plain := func(runs []bib.Run) string {
		var b strings.Builder
		for _, r := range runs {
			b.WriteString(r.Text)
		}
		return b.String()
	}
	en, zh := bib.NewStyle("en", s.Bib, keys), bib.NewStyle("zh", s.Bib, keys)
	var out []annex.Reference
	for _, k := range en.Order(keys) {
		out = append(out, annex.Reference{Key: k, EN: plain(en.References([]string{k})[0]), ZH: plain(zh.References([]string{k})[0])})
	}
	return out
}

// eachCitedKey calls fn with every key the chapter's citations cite, in
// reading order, and the line of its citation.
func eachCitedKey(ch *ms.Chapter, fn func(key string, line int)) {
	ch.Texts(func(x ms.Text) {
		for _, sp := range x.Spans {
			if sp.Cite != nil {
				for _, k := range sp.Cite.Keys() {
					fn(k, sp.Line)
				}
			}
		}
	})
}

package portal

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/reading"
	"github.com/aceo-project/aceo/pipeline/release"
)

// contentsView is a release's contents as the publication page shows
// them, from the edition in the page's language (or the other when the
// release has only that).
type contentsView struct {
	Lang     string // the edition's language
	Chapters []chapterView
	Summary  *summaryView
}

// chapterView is a chapter in the contents.
type chapterView struct {
	Label, Title string
	Pages        string // as printed: "pp. 5–12"
	PDFURL       string // the PDF at the chapter's first page
	KeyMessages  []string
}

// summaryView is the summary for policymakers, in full.
type summaryView struct {
	Title    string
	PDFURL   string
	Sections []summarySection
}

type summarySection struct {
	Title string
	Paras []string
}

// contentsOf is the contents view of release r, nil when the release has
// no contents file (published before releases had them).
func (s *Server) contentsOf(r *release.Release, rt *releaseTexts, lang string) *contentsView {
	if rt == nil {
		return nil
	}
	c := rt.contents[lang]
	if c == nil {
		c = rt.contents[other(lang)]
	}
	if c == nil {
		return nil
	}
	v := &contentsView{Lang: c.Lang}
	pdf := FileURL(r.Publication, r.Name, c.PDF)
	for _, ch := range c.Chapters {
		at := pdf + "#page=" + strconv.Itoa(ch.FirstPage)
		cv := chapterView{Label: ch.Label, Title: ch.Title, PDFURL: at, KeyMessages: ch.KeyMessages, Pages: s.pageRange(lang, ch)}
		v.Chapters = append(v.Chapters, cv)
		if ch.Summary && v.Summary == nil {
			v.Summary = summaryOf(ch, at)
		}
	}
	return v
}

// pageRange is a chapter's page range as printed, in the page's language.
func (s *Server) pageRange(lang string, ch reading.Chapter) string {
	first, last := ch.FirstFolio, ch.LastFolio
	switch {
	case first == "":
		return ""
	case last == "" || last == first:
		return fmt.Sprintf(s.label(lang, "pub.page"), first)
	}
	return fmt.Sprintf(s.label(lang, "pub.page-range"), first, last)
}

// summaryOf is the summary for policymakers' text, section by section.
func summaryOf(ch reading.Chapter, pdf string) *summaryView {
	v := &summaryView{Title: ch.Title, PDFURL: pdf}
	for _, sec := range ch.Sections {
		ss := summarySection{Title: strings.TrimSpace(sec.Number + "  " + sec.Title)}
		for _, p := range strings.Split(sec.Text, "\n") {
			if p = strings.TrimSpace(p); p != "" {
				ss.Paras = append(ss.Paras, p)
			}
		}
		v.Sections = append(v.Sections, ss)
	}
	return v
}

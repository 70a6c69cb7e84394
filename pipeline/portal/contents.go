package portal

import (
	"fmt"
	"html/template"
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
	Cover    template.HTML
	PDFURL   string
	Chapters []chapterView
	Summary  *summaryView
}

// chapterView is a chapter in the contents.
type chapterView struct {
	Label, Title string
	URL          string // its HTML page
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
	c := rt.edition(lang)
	if c == nil {
		return nil
	}
	pdf := FileURL(r.Publication, r.Name, c.PDF)
	v := &contentsView{Lang: c.Lang, Cover: template.HTML(c.Cover), PDFURL: pdf}
	for _, ch := range c.Chapters {
		at := pdf + "#page=" + strconv.Itoa(ch.FirstPage)
		cv := chapterView{Label: ch.Label, Title: ch.Title, PDFURL: at, KeyMessages: ch.KeyMessages, Pages: s.pageRange(lang, ch)}
		if ch.HTML != "" {
			cv.URL = ChapterURL(lang, r.Publication, ch.ID)
		}
		v.Chapters = append(v.Chapters, cv)
		if ch.Summary && v.Summary == nil {
			v.Summary = summaryOf(ch, at)
		}
	}
	return v
}

// edition is the contents of the release's edition in lang, or of the
// other when the release has only that; nil for none.
func (rt *releaseTexts) edition(lang string) *reading.Contents {
	if rt == nil {
		return nil
	}
	if c := rt.contents[lang]; c != nil {
		return c
	}
	return rt.contents[other(lang)]
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

// chapterPage is a chapter of the HTML reading edition as its page shows
// it.
type chapterPage struct {
	Lang                      string // the edition's
	Label, Title, Authors     string
	PubTitle, PubLang, PubURL string
	PDFURL, PDFLabel          string
	Body                      template.HTML
	Prev, Next                *chapterLink
}

type chapterLink struct{ URL, Title, Lang string }

// ChapterURL is where the catalogue serves a chapter's HTML page.
func ChapterURL(lang, pub, chapter string) string {
	return "/" + lang + "/publications/" + pub + "/" + chapter + "/"
}

// renderChapters renders the HTML page of every chapter of release r, in
// each interface language: from the edition in that language, or the
// other one when the release has only that.
func (s *Server) renderChapters(snap *snapshot, base pageData, r *release.Release, rt *releaseTexts) error {
	lang := base.Lang
	c := rt.edition(lang)
	if c == nil {
		return nil
	}
	pdf := FileURL(r.Publication, r.Name, c.PDF)
	pubTitle, pubLang := text(r.Title, lang)
	for i, ch := range c.Chapters {
		if ch.HTML == "" {
			continue
		}
		p := base
		p.Path = "/publications/" + r.Publication + "/" + ch.ID + "/"
		p.Title = ch.Title
		p.Description = clip(strings.Join(ch.KeyMessages, " "), 300)
		if p.Description == "" && len(ch.Sections) > 0 {
			p.Description = clip(strings.ReplaceAll(ch.Sections[0].Text, "\n", " "), 300)
		}
		cp := &chapterPage{Lang: c.Lang, Label: ch.Label, Title: ch.Title, Authors: strings.Join(ch.Authors, "; "),
			PubTitle: pubTitle, PubLang: pubLang, PubURL: "/" + lang + "/publications/" + r.Publication + "/",
			PDFURL: pdf + "#page=" + strconv.Itoa(ch.FirstPage), Body: template.HTML(ch.HTML)}
		pages := s.pageRange(lang, ch)
		if pages == "" {
			pages = "PDF"
		}
		cp.PDFLabel = fmt.Sprintf(s.label(lang, "chapter.pdf"), pages)
		if i > 0 {
			prev := c.Chapters[i-1]
			cp.Prev = &chapterLink{ChapterURL(lang, r.Publication, prev.ID), prev.Title, c.Lang}
		}
		if i+1 < len(c.Chapters) {
			next := c.Chapters[i+1]
			cp.Next = &chapterLink{ChapterURL(lang, r.Publication, next.ID), next.Title, c.Lang}
		}
		p.Chapter = cp
		if err := s.renderPage(snap, "/"+lang+p.Path, "chapter", p); err != nil {
			return err
		}
	}
	return nil
}

package portal

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/search"
)

// textResults are the sections of the reports that match a query, a
// page of them at a time.
type textResults struct {
	Shortened, Partial bool
	Total              int
	Hits               []textHit
	// List is the hits as HTML (an <ol>), written in Go: a page of
	// results is most of a search's cost when templates write it.
	List template.HTML
	// From is the number of the first hit shown; Prev and Next link the
	// pages before and after ("" when there is none).
	From       int
	Prev, Next string
}

// hitsPerPage is how many sections a page of results shows.
const hitsPerPage = 10

// maxResultPage bounds the page a reader can ask for.
const maxResultPage = 50

// textHit is a matching section as the search page shows it.
type textHit struct {
	Lang               string // the edition's language
	PubTitle, PubLang  string
	PubURL             string
	Chapter, Section   string
	PDFURL             string
	HTMLURL            string // the section in the chapter's HTML page
	Page               int    // in the PDF
	Snippet            template.HTML
	ReleaseName, Title string
}

// textSearch searches the chapters of the releases search covers, with
// the page's filters (kind, year, topic, the edition's language).
func (s *Server) textSearch(snap *snapshot, lang string, d *pageData, page int) *textResults {
	rels := snap.releases
	keep := func(pub, name string) bool {
		r := rels[[2]string{pub, name}]
		return r != nil && (d.Query.Kind == "" || r.Kind == d.Query.Kind) &&
			(d.Query.Year == "" || strconv.Itoa(r.Year) == d.Query.Year) &&
			(d.Query.Topic == "" || slices.Contains(r.Topics, d.Query.Topic))
	}
	page = min(max(page, 1), maxResultPage)
	res := snap.searcher.Search(search.Query{Text: d.Query.Q, Lang: d.Query.Language, Keep: keep, Limit: hitsPerPage, Offset: (page - 1) * hitsPerPage})
	out := &textResults{Shortened: res.Shortened, Partial: res.Partial, Total: res.Total, From: (page-1)*hitsPerPage + 1}
	link := func(p int) string {
		v := d.Query.values()
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		return "/" + lang + "/search?" + v.Encode()
	}
	if page > 1 {
		out.Prev = link(page - 1)
	}
	if res.More && page < maxResultPage {
		out.Next = link(page + 1)
	}
	for _, h := range res.Hits {
		r := rels[[2]string{h.Publication, h.Release}]
		if r == nil {
			continue
		}
		doc := h.Doc
		th := textHit{Lang: doc.Lang, PubURL: "/" + lang + "/publications/" + r.Publication + "/", Page: doc.Page,
			PDFURL: FileURL(r.Publication, r.Name, doc.PDF) + "#page=" + strconv.Itoa(doc.Page), Snippet: snippetHTML(h.Snippet), ReleaseName: r.Name}
		th.PubTitle, th.PubLang = text(r.Title, lang)
		if rt := snap.texts[r]; rt != nil && rt.contents[doc.Lang] != nil {
			// the chapter's page in the edition's own language
			th.HTMLURL = ChapterURL(doc.Lang, r.Publication, doc.Chapter)
			if doc.Anchor != "" {
				th.HTMLURL += "#" + doc.Anchor
			}
		}
		th.Chapter = strings.TrimSpace(doc.ChapterLabel + "\u2002" + doc.ChapterTitle)
		if doc.Title != "" {
			th.Section = strings.TrimSpace(doc.Number + "\u2002" + doc.Title)
		}
		out.Hits = append(out.Hits, th)
	}
	out.List = s.hitsHTML(lang, out)
	return out
}

// hitsHTML writes the hits of a page of results as an ordered list.
func (s *Server) hitsHTML(lang string, res *textResults) template.HTML {
	if len(res.Hits) == 0 {
		return ""
	}
	esc := html.EscapeString
	pageLabel := s.label(lang, "search.pdf-page")
	var b strings.Builder
	fmt.Fprintf(&b, "<ol class=\"hits\" start=\"%d\">\n", res.From)
	for _, h := range res.Hits {
		title := h.Section
		if title == "" {
			title = h.Chapter
		}
		href := h.HTMLURL
		if href == "" {
			href = h.PDFURL
		}
		fmt.Fprintf(&b, "<li class=\"hit\">\n <h3 lang=\"%s\"><a href=\"%s\">%s</a></h3>\n <p class=\"where\">", esc(h.Lang), esc(href), esc(title))
		if h.Section != "" {
			fmt.Fprintf(&b, "<span lang=\"%s\">%s</span> · ", esc(h.Lang), esc(h.Chapter))
		}
		fmt.Fprintf(&b, "<a href=\"%s\" lang=\"%s\">%s</a> · %s</p>\n", esc(h.PubURL), esc(h.PubLang), esc(h.PubTitle), esc(s.label(lang, "lang."+h.Lang)))
		fmt.Fprintf(&b, " <p class=\"snippet\" lang=\"%s\">%s</p>\n", esc(h.Lang), h.Snippet)
		fmt.Fprintf(&b, " <p class=\"links\"><a href=\"%s\">%s</a></p>\n</li>\n", esc(h.PDFURL), esc(fmt.Sprintf(pageLabel, h.Page)))
	}
	b.WriteString("</ol>")
	return template.HTML(b.String())
}

// snippetHTML writes a snippet as HTML, its matches in <mark>: escaped
// here once rather than fragment by fragment in the template.
func snippetHTML(fs []search.Fragment) template.HTML {
	var b strings.Builder
	for _, f := range fs {
		if f.Mark {
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(f.Text))
			b.WriteString("</mark>")
			continue
		}
		b.WriteString(html.EscapeString(f.Text))
	}
	return template.HTML(b.String())
}

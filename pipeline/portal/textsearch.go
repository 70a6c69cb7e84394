package portal

import (
	"slices"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/search"
)

// textResults are the sections of the reports that match a query.
type textResults struct {
	Shortened, Partial bool
	Total              int
	Hits               []textHit
}

// textHit is a matching section as the search page shows it.
type textHit struct {
	Lang               string // the edition's language
	PubTitle, PubLang  string
	PubURL             string
	Chapter, Section   string
	PDFURL             string
	Page               int // in the PDF
	Snippet            []search.Fragment
	ReleaseName, Title string
}

// textSearch searches the chapters of the releases search covers, with
// the page's filters (kind, year, topic, the edition's language).
func (s *Server) textSearch(snap *snapshot, lang string, d *pageData) *textResults {
	rels := map[[2]string]*release.Release{}
	for i := range snap.cat.Releases {
		r := &snap.cat.Releases[i]
		rels[[2]string{r.Publication, r.Name}] = r
	}
	keep := func(pub, name string) bool {
		r := rels[[2]string{pub, name}]
		return r != nil && (d.Query.Kind == "" || r.Kind == d.Query.Kind) &&
			(d.Query.Year == "" || strconv.Itoa(r.Year) == d.Query.Year) &&
			(d.Query.Topic == "" || slices.Contains(r.Topics, d.Query.Topic))
	}
	res := snap.searcher.Search(search.Query{Text: d.Query.Q, Lang: d.Query.Language, Keep: keep})
	out := &textResults{Shortened: res.Shortened, Partial: res.Partial, Total: res.Total}
	for _, h := range res.Hits {
		r := rels[[2]string{h.Publication, h.Release}]
		if r == nil {
			continue
		}
		doc := h.Doc
		th := textHit{Lang: doc.Lang, PubURL: "/" + lang + "/publications/" + r.Publication + "/", Page: doc.Page,
			PDFURL: FileURL(r.Publication, r.Name, doc.PDF) + "#page=" + strconv.Itoa(doc.Page), Snippet: h.Snippet, ReleaseName: r.Name}
		th.PubTitle, th.PubLang = text(r.Title, lang)
		th.Chapter = strings.TrimSpace(doc.ChapterLabel + "\u2002" + doc.ChapterTitle)
		if doc.Title != "" {
			th.Section = strings.TrimSpace(doc.Number + "\u2002" + doc.Title)
		}
		out.Hits = append(out.Hits, th)
	}
	return out
}

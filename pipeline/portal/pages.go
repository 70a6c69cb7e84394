package portal

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/search"
)

// snapshot is one version of the catalogue with its pages rendered.
type snapshot struct {
	raw     []byte // catalog.json as stored; nil when nothing is published
	sha     string
	cat     *release.Catalog
	json    *asset
	pages   map[string]*asset  // by URL path: /en/, /zh/archive/...
	files   map[string]fileRef // by URL path: /files/<pub>/<release>/<name>
	updated time.Time
	// texts are the releases' contents and indexes; searcher searches
	// the chapters of the releases search covers
	texts    map[*release.Release]*releaseTexts
	searcher *search.Searcher
	sitemap  *asset
	results  pageCache // search pages rendered, by language and query
	// releases by publication and name
	releases map[[2]string]*release.Release
}

// fileRef is a downloadable file: its catalogue entry and release.
type fileRef struct {
	file release.File
	rel  *release.Release
}

// relView is a release as the templates show it.
type relView struct {
	Lang                              string // interface language
	Pub, Kind, Name                   string
	Label, LabelLang                  string // the release's name for readers (Name when it has none)
	Edition, EditionLang, EditionISO  string // "First edition", the edition's date as YYYY-MM-DD
	Year                              int
	Title, TitleLang, Subtitle        string
	Summary, SummaryLang              string
	Citation, CitationLang            string
	ISBNs                             []isbnView
	DOI, Licence, LicenceURL          string
	Released, ReleasedISO             string
	EditionDate                       string
	Languages                         []string
	Files                             []fileView
	Latest, Withdrawn                 bool
	WithdrawnOn, WithdrawnISO, Reason string
	ReasonLang                        string
	rel                               *release.Release
}

type isbnView struct{ Lang, ISBN string }

type fileView struct {
	URL, Label, Lang, Kind, Size, SHA256 string
	Pages                                int
}

type pubView struct {
	Kind                       string
	Year                       int
	Title, TitleLang, Subtitle string
	OtherTitle, OtherLang      string
	Summary, SummaryLang       string
	Topics                     []topicView
}

type topicView struct{ ID, Name string }

type option struct {
	Value, Label string
	Selected     bool
}

// pageData is what every page template gets.
type pageData struct {
	Lang, Other, Path, Title, Nav, Static string
	Updated                               time.Time
	// Base is the catalogue's public address (Config.PublicURL), before
	// the absolute links of the page's metadata; Description is its
	// summary for search engines and link previews; NoIndex keeps it out
	// of search engines (search results, upload pages, errors).
	Base, Description string
	NoIndex           bool
	// Scholar holds the Highwire Press tags of a publication page.
	Scholar *scholarMeta
	// home
	Latest  *relView
	Studies []relView
	// publication, archive
	Pub      *pubView
	Releases []relView
	Contents *contentsView // of the newest release
	Cite     *citeView
	// chapter
	Chapter *chapterPage
	// search
	Query                       searchQuery
	Kinds, Years, Topics, Langs []option
	Results                     []relView
	Text                        *textResults
	// upload
	Invite                      *inviteView
	Outcome                     *outcome
	Denied                      string
	Action, Accept, AcceptLabel string
	Dict                        bool
	Reviews                     []reviewView
	GuideLink                   bool
	// guide
	Guide template.HTML
}

// reviewView is an editor's decision on an invited author's revision.
type reviewView struct {
	Rev, Decision, Note, Editor, Date, DateISO string
}

func other(lang string) string {
	if lang == "zh" {
		return "en"
	}
	return "zh"
}

// text returns t in lang (falling back to English) and the language it
// is actually in, for the lang attribute.
func text(t publication.Text, lang string) (string, string) {
	if s := strings.TrimSpace(t[lang]); s != "" {
		return s, lang
	}
	if s := strings.TrimSpace(t["en"]); s != "" {
		return s, "en"
	}
	for _, l := range Languages {
		if s := strings.TrimSpace(t[l]); s != "" {
			return s, l
		}
	}
	return "", lang
}

// FileURL is where the portal serves a released file.
func FileURL(pub, rel, name string) string {
	return "/files/" + url.PathEscape(pub) + "/" + url.PathEscape(rel) + "/" + url.PathEscape(name)
}

func (s *Server) label(lang, key string) string {
	v, _ := s.labels.In(lang, key)
	return v
}

func (s *Server) relView(r *release.Release, lang string, latest bool) relView {
	v := relView{Lang: lang, Pub: r.Publication, Kind: r.Kind, Name: r.Name, Year: r.Year, Languages: r.Languages, rel: r,
		Released: formatDate(r.Released, lang), ReleasedISO: r.Released.UTC().Format(time.RFC3339), Latest: latest}
	v.Title, v.TitleLang = text(r.Title, lang)
	v.Subtitle, _ = text(r.Subtitle, v.TitleLang)
	v.Summary, v.SummaryLang = text(r.Summary, lang)
	v.Citation, v.CitationLang = text(r.Citation, lang)
	for _, l := range r.Languages {
		if isbn := r.ISBN[l]; isbn != "" {
			v.ISBNs = append(v.ISBNs, isbnView{Lang: l, ISBN: isbn})
		}
	}
	v.DOI = r.DOI
	if l := r.Licence; l != nil {
		v.Licence, v.LicenceURL = l.Name, l.URL
	}
	if d, err := time.Parse("2006-01-02", r.Date); err == nil {
		v.EditionDate, v.EditionISO = formatDate(d, lang), r.Date
	} else {
		v.EditionDate = r.Date
	}
	v.Edition, v.EditionLang = text(r.Edition, lang)
	v.Label, v.LabelLang = text(r.Label, lang)
	if v.Label == "" {
		v.Label, v.LabelLang = r.Name, "und"
	}
	if w := r.Withdrawn; w != nil {
		v.Withdrawn = true
		v.Reason, v.ReasonLang = text(w.Reasons, lang)
		if v.Reason == "" {
			// recorded before reasons had languages: in the one given
			v.Reason, v.ReasonLang = w.Reason, "und"
		}
		v.WithdrawnOn, v.WithdrawnISO = formatDate(w.Time, lang), w.Time.UTC().Format(time.RFC3339)
	}
	for _, f := range r.Files {
		if f.Kind == release.KindIndex {
			continue // the search's own
		}
		fv := fileView{URL: FileURL(r.Publication, r.Name, f.Name), Lang: f.Lang, Kind: f.Kind, Pages: f.Pages, Size: formatSize(f.Size, lang), SHA256: f.SHA256}
		switch f.Kind {
		case release.KindContents:
			fv.Label = s.label(lang, "pub.contents-json") + " · " + s.label(lang, "lang."+f.Lang)
		case "pdf":
			fv.Label = s.label(lang, "pub.pdf") + " · " + s.label(lang, "lang."+f.Lang)
		case "summary":
			fv.Label = s.label(lang, "pub.spm") + " · " + s.label(lang, "lang."+f.Lang)
		case "data":
			fv.Label = s.label(lang, "pub.data")
		default:
			fv.Label = s.label(lang, "pub.manifest")
		}
		v.Files = append(v.Files, fv)
	}
	return v
}

func (s *Server) pubView(r *release.Release, lang string) *pubView {
	v := &pubView{Kind: r.Kind, Year: r.Year}
	v.Title, v.TitleLang = text(r.Title, lang)
	v.Subtitle, _ = text(r.Subtitle, v.TitleLang)
	if o := other(lang); r.Title[o] != "" && o != v.TitleLang {
		v.OtherTitle, v.OtherLang = r.Title[o], o
		if sub := r.Subtitle[o]; sub != "" {
			sep := ": "
			if o == "zh" {
				sep = "："
			}
			v.OtherTitle += sep + sub
		}
	}
	v.Summary, v.SummaryLang = text(r.Summary, lang)
	for _, t := range r.Topics {
		name := t
		if n, ok := publication.Topics[t]; ok {
			name, _ = text(n, lang)
		}
		v.Topics = append(v.Topics, topicView{ID: t, Name: name})
	}
	return v
}

// newestFirst sorts releases by release time, newest first, then by name.
func newestFirst(rs []*release.Release) {
	sort.SliceStable(rs, func(i, j int) bool {
		if !rs[i].Released.Equal(rs[j].Released) {
			return rs[i].Released.After(rs[j].Released)
		}
		if rs[i].Publication != rs[j].Publication {
			return rs[i].Publication < rs[j].Publication
		}
		return rs[i].Name > rs[j].Name
	})
}

// parseCatalog reads catalog.json as stored (nil: an empty catalogue).
func parseCatalog(raw []byte) (*release.Catalog, error) {
	cat := &release.Catalog{}
	if raw != nil {
		if err := json.Unmarshal(raw, cat); err != nil {
			return nil, fmt.Errorf("%s is not a catalogue: %w", release.CatalogKey, err)
		}
	}
	return cat, nil
}

// searchQuery is a search as the page has it: the words and filters.
type searchQuery struct{ Q, Kind, Year, Topic, Language string }

// values are the query's parameters, those set only.
func (q searchQuery) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"q": q.Q, "kind": q.Kind, "year": q.Year, "topic": q.Topic, "language": q.Language} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// short bounds a filter's value: the catalogue's are a few characters
// long, and a longer one matches nothing anyway.
func short(v string) string {
	if len(v) > 64 {
		return ""
	}
	return v
}

// render makes the snapshot of a catalogue (raw, parsed as cat): every
// page in every language, and the search over the releases' texts.
func (s *Server) render(raw []byte, cat *release.Catalog, texts map[*release.Release]*releaseTexts) (*snapshot, error) {
	snap := &snapshot{raw: raw, cat: cat, pages: map[string]*asset{}, files: map[string]fileRef{}, texts: texts}
	snap.searcher = newSearcher(cat, texts)
	snap.releases = map[[2]string]*release.Release{}
	for i := range cat.Releases {
		r := &cat.Releases[i]
		snap.releases[[2]string{r.Publication, r.Name}] = r
	}
	if raw != nil {
		h := sha256.Sum256(raw)
		snap.sha = hex.EncodeToString(h[:])
		snap.json = newAsset(raw, "application/json", gzip.BestCompression)
	} else {
		snap.json = newAsset([]byte(`{"releases":[]}`+"\n"), "application/json", gzip.BestCompression)
	}
	snap.updated = snap.cat.Updated
	var all []*release.Release
	byPub := map[string][]*release.Release{}
	for i := range snap.cat.Releases {
		r := &snap.cat.Releases[i]
		all = append(all, r)
		byPub[r.Publication] = append(byPub[r.Publication], r)
		for _, f := range r.Files {
			// only what the catalogue names, where a release keeps it
			if f.Key != release.Prefix(r.Publication, r.Name)+f.Name || path.Base(f.Name) != f.Name {
				continue
			}
			snap.files[FileURL(r.Publication, r.Name, f.Name)] = fileRef{file: f, rel: r}
		}
	}
	newestFirst(all)
	for _, rs := range byPub {
		newestFirst(rs)
	}
	for _, lang := range Languages {
		base := pageData{Lang: lang, Other: other(lang), Static: s.staticVersion, Updated: snap.updated, Base: s.cfg.PublicURL, Description: s.label(lang, "site.tagline")}
		// home: the newest Outlook release, then each policy study's newest
		home := base
		home.Path, home.Nav = "/", "home"
		seen := map[string]bool{}
		for _, r := range all {
			if r.Withdrawn != nil || seen[r.Publication] {
				continue
			}
			seen[r.Publication] = true
			v := s.relView(r, lang, true)
			switch {
			case r.Kind == "outlook" && home.Latest == nil:
				home.Latest = &v
			case r.Kind != "outlook":
				home.Studies = append(home.Studies, v)
			}
		}
		if err := s.renderPage(snap, "/"+lang+"/", "home", home); err != nil {
			return nil, err
		}
		arch := base
		arch.Path, arch.Nav, arch.Title = "/archive/", "archive", s.label(lang, "archive.title")
		for _, r := range all {
			arch.Releases = append(arch.Releases, s.relView(r, lang, false))
		}
		if err := s.renderPage(snap, "/"+lang+"/archive/", "archive", arch); err != nil {
			return nil, err
		}
		for pub, rs := range byPub {
			p := base
			p.Path = "/publications/" + pub + "/"
			head := rs[0]
			latest := snap.cat.Latest(pub)
			if latest != nil {
				head = latest
			}
			p.Pub = s.pubView(head, lang)
			p.Title = p.Pub.Title
			p.Description = clip(p.Pub.Summary, 300)
			p.Scholar = s.scholar(head, lang)
			p.Contents = s.contentsOf(head, texts[head], lang)
			cite := s.citations(head, lang)
			p.Cite = &cite
			for _, r := range rs {
				p.Releases = append(p.Releases, s.relView(r, lang, r == latest))
			}
			if err := s.renderPage(snap, "/"+lang+p.Path, "publication", p); err != nil {
				return nil, err
			}
			if err := s.renderChapters(snap, base, head, texts[head]); err != nil {
				return nil, err
			}
		}
	}
	snap.sitemap = newAsset(s.sitemap(snap), "application/xml; charset=utf-8", gzip.BestCompression)
	return snap, nil
}

func (s *Server) renderPage(snap *snapshot, urlPath, name string, data pageData) error {
	body, err := s.execute(name, data)
	if err != nil {
		return err
	}
	snap.pages[urlPath] = newAsset(body, "text/html; charset=utf-8", gzip.DefaultCompression) // fast: pages are rendered at every catalogue change
	return nil
}

func (s *Server) execute(name string, data pageData) ([]byte, error) {
	var b bytes.Buffer
	t := s.pages[name+"/"+data.Lang]
	if t == nil {
		return nil, fmt.Errorf("portal: no page %s in %s", name, data.Lang)
	}
	if err := t.ExecuteTemplate(&b, "layout", data); err != nil {
		return nil, fmt.Errorf("portal: render %s (%s): %w", name, data.Lang, err)
	}
	return b.Bytes(), nil
}

// search filters the releases of a snapshot.
func (s *Server) search(snap *snapshot, lang string, q url.Values) pageData {
	d := pageData{Lang: lang, Other: other(lang), Static: s.staticVersion, Updated: snap.updated, Nav: "search", Title: s.label(lang, "search.title"),
		Base: s.cfg.PublicURL, Description: s.label(lang, "search.title"), NoIndex: true}
	var shortened bool
	d.Query.Q, shortened = search.Clean(q.Get("q")) // bounded, as the page repeats it
	d.Query.Kind, d.Query.Year, d.Query.Topic, d.Query.Language = short(q.Get("kind")), short(q.Get("year")), short(q.Get("topic")), short(q.Get("language"))
	// the switch keeps the query (as cleaned)
	d.Path = "/search"
	if enc := d.Query.values().Encode(); enc != "" {
		d.Path += "?" + enc
	}
	years := map[int]bool{}
	topics := map[string]bool{}
	var all []*release.Release
	for i := range snap.cat.Releases {
		r := &snap.cat.Releases[i]
		all = append(all, r)
		years[r.Year] = true
		for _, t := range r.Topics {
			topics[t] = true
		}
	}
	newestFirst(all)
	for _, k := range []string{"outlook", "policy-study"} {
		d.Kinds = append(d.Kinds, option{k, s.label(lang, "kind."+k), k == d.Query.Kind})
	}
	var ys []int
	for y := range years {
		ys = append(ys, y)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ys)))
	for _, y := range ys {
		v := strconv.Itoa(y)
		d.Years = append(d.Years, option{v, v, v == d.Query.Year})
	}
	for _, id := range publication.TopicIDs() {
		if topics[id] {
			name, _ := text(publication.Topics[id], lang)
			d.Topics = append(d.Topics, option{id, name, id == d.Query.Topic})
		}
	}
	for _, l := range Languages {
		d.Langs = append(d.Langs, option{l, s.label(lang, "lang."+l), l == d.Query.Language})
	}
	words := strings.Fields(strings.ToLower(d.Query.Q))
	latest := map[string]*release.Release{}
	for _, r := range all {
		if _, ok := latest[r.Publication]; !ok {
			latest[r.Publication] = snap.cat.Latest(r.Publication)
		}
		if d.Query.Kind != "" && r.Kind != d.Query.Kind ||
			d.Query.Year != "" && strconv.Itoa(r.Year) != d.Query.Year ||
			d.Query.Topic != "" && !slices.Contains(r.Topics, d.Query.Topic) ||
			d.Query.Language != "" && !slices.Contains(r.Languages, d.Query.Language) {
			continue
		}
		if len(words) > 0 {
			var hay strings.Builder
			for _, t := range []publication.Text{r.Title, r.Subtitle, r.Summary, r.Keywords} {
				for _, l := range Languages {
					hay.WriteString(strings.ToLower(t[l]) + "\n")
				}
			}
			for _, t := range r.Topics {
				for _, l := range Languages {
					hay.WriteString(strings.ToLower(publication.Topics[t][l]) + "\n")
				}
			}
			ok := true
			for _, w := range words {
				if !strings.Contains(hay.String(), w) {
					ok = false
				}
			}
			if !ok {
				continue
			}
		}
		d.Results = append(d.Results, s.relView(r, lang, r == latest[r.Publication]))
	}
	if d.Query.Q != "" {
		page, _ := strconv.Atoi(short(q.Get("page")))
		d.Text = s.textSearch(snap, lang, &d, page)
		d.Text.Shortened = d.Text.Shortened || shortened
	}
	return d
}

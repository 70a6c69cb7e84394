package portal

import (
	"fmt"
	"strings"

	"github.com/aceo-project/aceo/pipeline/release"
)

// citeView is a release's citation in the forms reference managers
// import, in the page's language.
type citeView struct {
	BibTeX, RIS string
}

// citeFields are the parts of a citation in one language.
type citeFields struct {
	key, title, publisher, address, year, isbn, doi, url, lang string
	editors                                                    []string
}

func (s *Server) citeFields(r *release.Release, lang string) citeFields {
	f := citeFields{key: r.Publication + "-" + r.Name, year: fmt.Sprint(r.Year), doi: r.DOI}
	title, tl := text(r.Title, lang)
	f.title = title
	if sub, _ := text(r.Subtitle, tl); sub != "" {
		sep := ": "
		if tl == "zh" {
			sep = "："
		}
		f.title += sep + sub
	}
	f.lang = tl
	f.publisher, _ = text(r.Publisher, tl)
	f.address, _ = text(r.Address, tl)
	f.isbn = r.ISBN[tl]
	for _, e := range r.Editors {
		if name, _ := text(e, tl); name != "" {
			f.editors = append(f.editors, name)
		}
	}
	if s.cfg.PublicURL != "" {
		f.url = s.cfg.PublicURL + "/" + lang + "/publications/" + r.Publication + "/"
	}
	return f
}

// citations writes release r's citation as BibTeX and RIS.
func (s *Server) citations(r *release.Release, lang string) citeView {
	f := s.citeFields(r, lang)
	language := map[string]string{"en": "english", "zh": "chinese"}[f.lang]
	var b strings.Builder
	fmt.Fprintf(&b, "@book{%s,\n", bibKey(f.key))
	field := func(name, v string) {
		if v != "" {
			fmt.Fprintf(&b, "  %s = {%s},\n", name, v)
		}
	}
	var eds []string
	for _, e := range f.editors {
		eds = append(eds, "{"+bibEscape(e)+"}") // a body, not a person's name
	}
	field("editor", strings.Join(eds, " and "))
	field("title", bibEscape(f.title))
	field("publisher", bibEscape(f.publisher))
	field("address", bibEscape(f.address))
	field("year", f.year)
	field("isbn", f.isbn)
	field("doi", bibEscape(f.doi))
	field("url", bibEscape(f.url))
	field("language", language)
	out := strings.TrimSuffix(b.String(), ",\n") + "\n}\n"

	var ris strings.Builder
	line := func(tag, v string) {
		if v = risClean(v); v != "" {
			fmt.Fprintf(&ris, "%s  - %s\n", tag, v)
		}
	}
	line("TY", "BOOK")
	line("TI", f.title)
	for _, e := range f.editors {
		line("A2", e)
	}
	line("PB", f.publisher)
	line("CY", f.address)
	line("PY", f.year)
	line("DA", r.Date)
	line("SN", f.isbn)
	line("DO", f.doi)
	line("UR", f.url)
	line("LA", language)
	ris.WriteString("ER  - \n")
	return citeView{BibTeX: out, RIS: ris.String()}
}

// bibKey keeps the characters a BibTeX key may have.
func bibKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return r
		}
		return '-'
	}, s)
}

// bibEscape escapes the characters BibTeX and LaTeX treat specially.
func bibEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '{', '}', '%', '&', '$', '#', '_':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// risClean keeps a RIS value on its line.
func risClean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

package portal

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/release"
)

// scholarMeta are the Highwire Press tags (citation_*) Google Scholar
// and reference managers read from a publication page.
type scholarMeta struct {
	Title, Date, Publisher, Language, ISBN, DOI string
	Authors                                     []string
	PDF                                         string // absolute when the public address is set
}

// scholar is the metadata of release r in the page's language.
func (s *Server) scholar(r *release.Release, lang string) *scholarMeta {
	f := s.citeFields(r, lang)
	m := &scholarMeta{Title: f.title, Publisher: f.publisher, Language: f.lang, ISBN: f.isbn, DOI: f.doi,
		Date: strings.ReplaceAll(r.Date, "-", "/")}
	if m.Date == "" {
		m.Date = f.year
	}
	m.Authors = f.editors
	if len(m.Authors) == 0 && f.publisher != "" {
		m.Authors = []string{f.publisher}
	}
	for _, file := range r.Files {
		if file.Kind == "pdf" && file.Lang == f.lang {
			m.PDF = s.cfg.PublicURL + FileURL(r.Publication, r.Name, file.Name)
		}
	}
	return m
}

// clip shortens s to about n characters, at a word.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if cut >= n {
			s = s[:i]
			break
		}
		cut++
	}
	if i := strings.LastIndexByte(s, ' '); i > len(s)/2 {
		s = s[:i]
	}
	return strings.TrimRight(s, " ,;:") + "…"
}

// sitemap lists the catalogue's pages, each with its other language
// (sitemaps.org, with hreflang alternates), from the public address.
func (s *Server) sitemap(snap *snapshot) []byte {
	type link struct {
		Rel      string `xml:"rel,attr"`
		Hreflang string `xml:"hreflang,attr"`
		Href     string `xml:"href,attr"`
	}
	type entry struct {
		Loc   string `xml:"loc"`
		Links []link `xml:"xhtml:link"`
	}
	type urlset struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		XHTML   string   `xml:"xmlns:xhtml,attr"`
		URLs    []entry  `xml:"url"`
	}
	var paths []string
	for p := range snap.pages {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	base := s.cfg.PublicURL
	for _, p := range paths {
		rest := p[strings.Index(p[1:], "/")+1:] // "/en/archive/" -> "/archive/"
		e := entry{Loc: base + p}
		for _, l := range Languages {
			if _, ok := snap.pages["/"+l+rest]; ok {
				e.Links = append(e.Links, link{"alternate", hreflang(l), base + "/" + l + rest})
			}
		}
		set.URLs = append(set.URLs, e)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	enc.Encode(set)
	b.WriteByte('\n')
	return b.Bytes()
}

// hreflang is the language tag of an interface language in links.
func hreflang(lang string) string {
	if lang == "zh" {
		return "zh-Hans"
	}
	return lang
}

// robotsTxt is robots.txt: everything but the upload pages, and the
// sitemap when the public address is known.
func (s *Server) robotsTxt() []byte {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, l := range Languages {
		b.WriteString("Disallow: /" + l + "/upload/\n")
	}
	b.WriteString("Allow: /\n")
	if s.cfg.PublicURL != "" {
		b.WriteString("\nSitemap: " + s.cfg.PublicURL + "/sitemap.xml\n")
	}
	return []byte(b.String())
}

// favicon draws the site's icon for /favicon.ico (a PNG in an ICO file):
// the accent green square with a white ring, as favicon.svg draws it.
func favicon() []byte {
	const n = 32
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	green := color.NRGBA{0x0b, 0x6e, 0x5f, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			fx, fy := float64(x)+0.5-n/2, float64(y)+0.5-n/2
			d := fx*fx + fy*fy
			c := green
			// rounded corners: transparent outside a radius of 6
			cx, cy := max(abs(fx)-(n/2-6), 0), max(abs(fy)-(n/2-6), 0)
			if cx*cx+cy*cy > 36 {
				c = color.NRGBA{}
			} else if d >= 8*8 && d <= 11*11 || (abs(fy) <= 1.2 && abs(fx) <= 11) {
				c = white
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var p bytes.Buffer
	png.Encode(&p, img)
	data := p.Bytes()
	// ICONDIR, one ICONDIRENTRY, then the PNG
	ico := []byte{0, 0, 1, 0, 1, 0, n, n, 0, 0, 1, 0, 32, 0}
	ico = append(ico, le32(uint32(len(data)))...)
	ico = append(ico, le32(6+16)...)
	return append(ico, data...)
}

func le32(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

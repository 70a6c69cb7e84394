package portal

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"image/png"
	"regexp"
	"strings"
	"testing"
)

// metaContent finds the content of <meta name|property="key">.
func metaContent(body, key string) []string {
	re := regexp.MustCompile(`<meta (?:name|property)="` + regexp.QuoteMeta(key) + `" content="([^"]*)">`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestMetadata: a publication page carries a description, Highwire
// citation tags (for Google Scholar), OpenGraph and hreflang alternates in
// its language, with absolute links from the public address; the sitemap
// lists every page with its other language; robots.txt keeps the upload
// pages out and names the sitemap; the favicon is served; search results
// are not indexed.
func TestMetadata(t *testing.T) {
	s := copyStore(t)
	_, ts := newServer(t, s, func(c *Config) { c.PublicURL = "https://outlook.example.org" })
	base := "https://outlook.example.org"
	for _, c := range []struct {
		lang, title, pdf, language, author string
	}{
		{"en", "ASEAN-China Environment Outlook: Towards green development in a shared region", "/files/aceo-sample/2013/aceo-sample-en.pdf", "en", "ASEAN-China Outlook Editorial Board"},
		{"zh", "中国—东盟环境展望：共同区域的绿色发展之路", "/files/aceo-sample/2013/aceo-sample-zh.pdf", "zh", "中国—东盟环境展望编委会"},
	} {
		_, body := get(t, ts.URL+"/"+c.lang+"/publications/aceo-sample/")
		for key, want := range map[string]string{
			"citation_title":            c.title,
			"citation_author":           c.author,
			"citation_publication_date": "2013/11/15",
			"citation_pdf_url":          base + c.pdf,
			"citation_language":         c.language,
			"og:type":                   "book",
			"og:url":                    base + "/" + c.lang + "/publications/aceo-sample/",
		} {
			if got := metaContent(body, key); len(got) != 1 || got[0] != want {
				t.Errorf("%s: %s = %q, want %q", c.lang, key, got, want)
			}
		}
		for _, key := range []string{"description", "og:description", "citation_publisher", "citation_isbn", "citation_doi", "og:title"} {
			if got := metaContent(body, key); len(got) != 1 || len(got[0]) < 5 {
				t.Errorf("%s: %s = %q", c.lang, key, got)
			}
		}
		for _, l := range []string{`hreflang="en" href="` + base + `/en/publications/aceo-sample/"`, `hreflang="zh-Hans" href="` + base + `/zh/publications/aceo-sample/"`, `hreflang="x-default"`, `rel="canonical" href="` + base + "/" + c.lang + `/publications/aceo-sample/"`} {
			if !strings.Contains(body, l) {
				t.Errorf("%s: no link %s", c.lang, l)
			}
		}
		if strings.Contains(body, `name="robots"`) {
			t.Errorf("%s: a publication page kept from search engines", c.lang)
		}
	}
	if _, body := get(t, ts.URL+"/en/search?q=haze"); len(metaContent(body, "robots")) != 1 || metaContent(body, "robots")[0] != "noindex" {
		t.Error("search results are indexable")
	}
	if _, body := get(t, ts.URL+"/zh/"); metaContent(body, "description")[0] != "中国—东盟环境合作报告与数据" {
		t.Errorf("zh home description %q", metaContent(body, "description"))
	}

	// the sitemap
	resp, body := get(t, ts.URL+"/sitemap.xml")
	var set struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &set); err != nil || resp.Header.Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Fatalf("sitemap: %v %s", err, resp.Header.Get("Content-Type"))
	}
	locs := map[string]int{}
	for _, u := range set.URLs {
		locs[u.Loc] = len(u.Links)
	}
	for _, p := range []string{"/en/", "/zh/", "/en/archive/", "/zh/archive/", "/en/publications/aceo-sample/", "/zh/publications/policy-study-sample/"} {
		if locs[base+p] != 2 {
			t.Errorf("sitemap: %s with %d alternates", p, locs[base+p])
		}
	}
	// robots.txt
	_, body = get(t, ts.URL+"/robots.txt")
	for _, want := range []string{"Disallow: /en/upload/", "Disallow: /zh/upload/", "Sitemap: " + base + "/sitemap.xml"} {
		if !strings.Contains(body, want) {
			t.Errorf("robots.txt: no %q", want)
		}
	}
	// the icons
	resp, body = get(t, ts.URL+"/favicon.ico")
	ico := []byte(body)
	if resp.StatusCode != 200 || len(ico) < 22 || binary.LittleEndian.Uint16(ico[2:]) != 1 || binary.LittleEndian.Uint16(ico[4:]) != 1 {
		t.Fatalf("favicon.ico: %d, %d bytes", resp.StatusCode, len(ico))
	}
	img, err := png.Decode(bytes.NewReader(ico[binary.LittleEndian.Uint32(ico[18:]):]))
	if err != nil || img.Bounds().Dx() != 32 || int(binary.LittleEndian.Uint32(ico[14:])) != len(ico)-22 {
		t.Errorf("favicon.ico: %v", err)
	}
	_, home := get(t, ts.URL+"/en/")
	svg := regexp.MustCompile(`<link rel="icon" href="(/static/favicon.svg[^"]*)"`).FindStringSubmatch(home)
	if svg == nil {
		t.Fatal("no SVG icon linked")
	}
	if resp, body := get(t, ts.URL+svg[1]); resp.StatusCode != 200 || !strings.HasPrefix(body, "<svg") || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("favicon.svg: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// without a public address there is no sitemap (it lists absolute
	// addresses), and robots.txt names none
	_, ts2 := newServer(t, s, nil)
	if resp, _ := get(t, ts2.URL+"/sitemap.xml"); resp.StatusCode != 404 {
		t.Errorf("sitemap without a public address: %d", resp.StatusCode)
	}
	if _, body := get(t, ts2.URL+"/robots.txt"); strings.Contains(body, "Sitemap") {
		t.Error("robots.txt names a sitemap without a public address")
	}
}

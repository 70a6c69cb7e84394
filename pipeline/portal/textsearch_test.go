package portal

import (
	"context"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/release"
)

// hitRE finds a hit's PDF link and its snippet on the search page.
var hitRE = regexp.MustCompile(`(?s)<li class="hit">\s*<h3 lang="(\w+)"><a href="([^"]+)">.*?<p class="snippet" lang="\w+">(.*?)</p>\s*<p class="links"><a href="([^"#]+)#page=(\d+)">`)

// TestFullTextSearch: the six queries a policymaker tried find chapters
// of the sample Outlook in both languages, each hit marked in its snippet
// and linked to the PDF page that holds the word (pdftotext); a query
// nothing matches says so; hostile queries are answered, bounded.
func TestFullTextSearch(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext is required (apt-get install poppler-utils): %v", err)
	}
	s := copyStore(t)
	_, ts := newServer(t, s, nil)
	pdfs := map[string]string{} // URL path -> local file
	pageText := func(u string, page int) string {
		t.Helper()
		f, ok := pdfs[u]
		if !ok {
			resp, body := get(t, ts.URL+u)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", u, resp.StatusCode)
			}
			f = filepath.Join(t.TempDir(), "doc.pdf")
			if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			pdfs[u] = f
		}
		out, err := exec.Command("pdftotext", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), f, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(out)), "")
	}
	for _, c := range []struct {
		q, lang, word string // word: as the PDF page shows it
	}{
		{"mangrove", "", "angrove"},
		{"Mekong", "", "Mekong"},
		{"PM2.5", "", "PM2.5"},
		{"haze", "", "haze"},
		{"红树林", "zh", "红树林"},
		{"湄公河", "zh", "湄公河"},
	} {
		for _, page := range []string{"en", "zh"} {
			u := ts.URL + "/" + page + "/search?q=" + url.QueryEscape(c.q)
			resp, body := get(t, u)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", u, resp.StatusCode)
			}
			hits := hitRE.FindAllStringSubmatch(body, -1)
			if len(hits) < 2 {
				t.Errorf("%s: %d sections found", u, len(hits))
				continue
			}
			for i, h := range hits {
				if c.lang == "zh" && h[1] != "zh" {
					t.Errorf("%s: a hit in %s", u, h[1])
				}
				if !strings.Contains(h[3], "<mark>") {
					t.Errorf("%s: hit %d has no match marked: %s", u, i, h[3])
				}
				if i < 3 {
					n, _ := strconv.Atoi(h[5])
					if txt := pageText(html.UnescapeString(h[4]), n); !strings.Contains(strings.ToLower(txt), strings.ToLower(c.word)) {
						t.Errorf("%s: hit %d links page %d of %s, which has no %q", u, i, n, h[4], c.word)
					}
					// and the section in the chapter's HTML page, which
					// holds the word too
					page, anchor, _ := strings.Cut(html.UnescapeString(h[2]), "#")
					resp, body := get(t, ts.URL+page)
					if resp.StatusCode != 200 || anchor != "" && !strings.Contains(body, `id="`+anchor+`"`) || !strings.Contains(strings.ToLower(body), strings.ToLower(c.word)) {
						t.Errorf("%s: hit %d links %s: %d", u, i, h[2], resp.StatusCode)
					}
				}
			}
		}
	}
	// the edition's language as a filter
	_, body := get(t, ts.URL+"/en/search?q=Mekong&language=en")
	for _, h := range hitRE.FindAllStringSubmatch(body, -1) {
		if h[1] != "en" {
			t.Errorf("Mekong in the English edition: a hit in %s", h[1])
		}
	}
	if _, body := get(t, ts.URL+"/en/search?q=%E6%B9%84%E5%85%AC%E6%B2%B3&language=en"); len(hitRE.FindAllString(body, -1)) != 0 {
		t.Errorf("湄公河 in the English edition found")
	}
	// nothing matches
	_, body = get(t, ts.URL+"/en/search?q=glacier+permafrost")
	if len(hitRE.FindAllString(body, -1)) != 0 || !strings.Contains(body, "No chapter of a current release holds these words") {
		t.Errorf("glacier permafrost: %s", body[strings.Index(body, "<main"):])
	}
	_, body = get(t, ts.URL+"/zh/search?q=%E5%86%B0%E5%B7%9D")
	if !strings.Contains(body, "现行版本的各章均不含这些词语") {
		t.Errorf("冰川: no 'nothing found' in Chinese")
	}
	// hostile: very long, regular-expression syntax, NUL
	long := strings.Repeat("haze ", 20000)
	resp, body := get(t, ts.URL+"/en/search?q="+url.QueryEscape(long))
	if resp.StatusCode != 200 || !strings.Contains(body, "only its first 200 characters were searched") || len(hitRE.FindAllString(body, -1)) == 0 {
		t.Errorf("long query: %d", resp.StatusCode)
	}
	if len(body) > 200_000 {
		t.Errorf("long query: a page of %d bytes", len(body))
	}
	for _, q := range []string{"(a+)+$", ".*", "[[:alpha:]]{1000}", "haze\x00smoke", "\x00", "<script>alert(1)</script>"} {
		resp, body := get(t, ts.URL+"/en/search?q="+url.QueryEscape(q))
		if resp.StatusCode != 200 {
			t.Errorf("%q: %d", q, resp.StatusCode)
		}
		if strings.Contains(body, "<script>alert") || strings.ContainsRune(body, 0) {
			t.Errorf("%q echoed raw", q)
		}
		if q == "haze\x00smoke" && len(hitRE.FindAllString(body, -1)) == 0 {
			t.Errorf("%q: nothing found", q)
		}
	}
}

// TestReplicasShareTheIndex: two catalogue servers on one store, with no
// state of their own, answer a search alike; a release published later
// (its index built by the publish) is found by both after their refresh.
func TestReplicasShareTheIndex(t *testing.T) {
	s := copyStore(t)
	a, tsA := newServer(t, s, nil)
	b, tsB := newServer(t, s, nil)
	const q = "/en/search?q=eco-labelling+mutual+recognition"
	hits := func(ts string) []string {
		_, body := get(t, ts+q)
		var out []string
		for _, h := range hitRE.FindAllStringSubmatch(body, -1) {
			out = append(out, h[4])
		}
		return out
	}
	ha, hb := hits(tsA.URL), hits(tsB.URL)
	if len(ha) == 0 || strings.Join(ha, " ") != strings.Join(hb, " ") {
		t.Fatalf("replicas differ: %q, %q", ha, hb)
	}
	// the study's newest build published again, as a new release
	ctx := context.Background()
	cat := catalog(t, s)
	latest := cat.Latest("policy-study-sample")
	if _, err := release.Publish(ctx, &drafts.Repo{Store: s}, "policy-study-sample", latest.Build, "2013-rev2", nil, "Editor A"); err != nil {
		t.Fatal(err)
	}
	for _, srv := range []*Server{a, b} {
		if err := srv.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, ts := range []string{tsA.URL, tsB.URL} {
		found := hits(ts)
		if len(found) == 0 || !strings.Contains(found[0], "/files/policy-study-sample/2013-rev2/") {
			t.Errorf("%s: after the new release, %q", ts, found)
		}
	}
}

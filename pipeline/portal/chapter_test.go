package portal

import (
	"regexp"
	"strings"
	"testing"
)

// TestChapterPages: each chapter of the latest Outlook has its HTML page
// in both languages, in its edition's language, with the chapters before
// and after, its pages in the PDF, charts as SVG, and cross-references
// that lead to an element of another chapter's page; an unknown chapter
// is not found.
func TestChapterPages(t *testing.T) {
	_, ts := newServer(t, copyStore(t), func(c *Config) { c.PublicURL = "https://outlook.example.org" })
	resp, body := get(t, ts.URL+"/en/publications/aceo-sample/air-quality/")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Language") != "en" {
		t.Fatalf("en page: %d %s", resp.StatusCode, resp.Header.Get("Content-Language"))
	}
	for _, want := range []string{`<h1>Air quality</h1>`, `<article class="chapter">`, `<svg xmlns="http://www.w3.org/2000/svg"`,
		`<a rel="prev" href="/en/publications/aceo-sample/freshwater/" lang="en">`, `<a rel="next" href="/en/publications/aceo-sample/coasts-seas/" lang="en">`,
		`href="/files/aceo-sample/2013/aceo-sample-en.pdf#page=`, `hreflang="zh-Hans" href="https://outlook.example.org/zh/publications/aceo-sample/air-quality/"`,
		`<meta name="description" content="Fine particulate matter (PM2.5)`, `<h2 id="key-messages">Key messages</h2>`, `<section class="footnotes"`} {
		if !strings.Contains(body, want) {
			t.Errorf("en page: no %s", want)
		}
	}
	_, zh := get(t, ts.URL+"/zh/publications/aceo-sample/air-quality/")
	if !strings.Contains(zh, `<h1>空气质量</h1>`) || !strings.Contains(zh, `<div lang="zh">`) || strings.Contains(zh, "This chapter has no") {
		t.Errorf("zh page: %.300s", zh[strings.Index(zh, "<main"):])
	}
	// cross-references to other chapters lead to an element there
	refs := regexp.MustCompile(`href="\.\./([a-z0-9-]+)/#([^"]+)"`).FindAllStringSubmatch(body+zh, -1)
	if len(refs) == 0 {
		t.Fatal("no cross-reference to another chapter")
	}
	for _, r := range refs {
		for _, lang := range []string{"en", "zh"} {
			resp, page := get(t, ts.URL+"/"+lang+"/publications/aceo-sample/"+r[1]+"/")
			if resp.StatusCode != 200 || !strings.Contains(page, `id="`+r[2]+`"`) {
				t.Errorf("%s: ../%s/#%s leads nowhere (%d)", lang, r[1], r[2], resp.StatusCode)
			}
		}
	}
	if resp, _ := get(t, ts.URL+"/en/publications/aceo-sample/no-such-chapter/"); resp.StatusCode != 404 {
		t.Errorf("unknown chapter: %d", resp.StatusCode)
	}
}

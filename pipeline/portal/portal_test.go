package portal

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/drafts"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/templates"
)

func catalog(t *testing.T, s store.Store) *release.Catalog {
	t.Helper()
	c, _, err := release.ReadCatalog(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fileOf(t *testing.T, c *release.Catalog, pub, rel, kind, lang string) release.File {
	t.Helper()
	r := c.Find(pub, rel)
	if r == nil {
		t.Fatalf("no release %s/%s", pub, rel)
	}
	for _, f := range r.Files {
		if f.Kind == kind && f.Lang == lang {
			return f
		}
	}
	t.Fatalf("release %s/%s has no %s %s", pub, rel, kind, lang)
	return release.File{}
}

func TestPages(t *testing.T) {
	s := copyStore(t)
	_, ts := newServer(t, s, nil)
	cases := []struct {
		path, lang string
		want       []string
		not        []string
	}{
		{"/en/", "en", []string{`<html lang="en">`, "Latest Environment Outlook", "ASEAN-China Environment Outlook", "2013-rev1", `href="/zh/"`, "Joint policy studies"},
			[]string{"Withdrawn"}},
		{"/zh/", "zh", []string{`<html lang="zh">`, "最新环境展望", "中国—东盟环境展望", "联合政策研究", `href="/en/"`}, nil},
		{"/en/publications/aceo-sample/", "en", []string{"Suggested citation", "China-ASEAN Environmental Cooperation Center and ASEAN Secretariat (2013)", "Title in Chinese", `lang="zh">中国—东盟环境展望：共同区域的绿色发展之路`, "Pages", "aceo-sample-zh.pdf", "Data annex (XLSX)", "Summary for policymakers (PDF) · English", "aceo-sample-summary-zh.pdf",
			"<dt>ISBN (English)</dt><dd>978-7-000-00001-8</dd>",
			`<figure class="cover"><a href="/files/aceo-sample/2013/aceo-sample-en.pdf"`, `role="img"><title>ASEAN-China Environment Outlook</title>`,
			// the contents: each chapter linked to its page, with its
			// pages in the PDF and its key messages
			"<a href=\"/en/publications/aceo-sample/air-quality/\"><span class=\"label\">Chapter\u00a04</span> Air quality</a> <a class=\"pages\" href=\"/files/aceo-sample/2013/aceo-sample-en.pdf#page=",
			"is the air pollutant of greatest concern for health", `<h2 id="spm">Summary for policymakers</h2>`, "@book{aceo-sample-2013,", "TY  - BOOK", "<dt>ISBN (Chinese)</dt><dd>978-7-000-00002-5</dd>", `<a href="https://doi.org/10.5555/aceo-sample-2013">`, `rel="license">CC BY-NC 3.0 IGO</a>`}, nil},
		{"/zh/publications/policy-study-sample/", "zh", []string{"已撤回", `<span lang="zh">第 2 章对各制度的比较有误；请使用 2013-rev1。</span>`, "最新版本", "建议引用格式", "英文标题", `<span lang="zh">修订版</span>`, "<code>2013-rev1</code>"},
			[]string{"The comparison of the schemes in chapter 2 was wrong"}},
		{"/en/publications/policy-study-sample/", "en", []string{`<span lang="en">The comparison of the schemes in chapter 2 was wrong; use 2013-rev1.</span>`, `<span lang="en">Corrected edition</span>`, `<span lang="und">2013</span>`}, []string{"第 2 章对各制度的比较有误"}},
		{"/en/archive/", "en", []string{"Withdrawn", "use 2013-rev1", "Current", "aceo-sample", "Corrected edition"}, nil},
		// the home page gives each report's own date and edition, the
		// release's date after it
		{"/en/", "en", []string{`<p class="edition"><time datetime="2013-11-15">15 November 2013</time> · <span lang="en">First edition</span></p>`}, nil},
		{"/zh/", "zh", []string{`<time datetime="2013-11-15">2013年11月15日</time> · <span lang="zh">第一版</span>`}, nil},
		{"/en/search?topic=policy", "en", []string{"Eco-labelling in ASEAN and China", "2 releases found"}, []string{"/en/publications/aceo-sample/"}},
		{"/zh/search?kind=outlook&language=zh", "zh", []string{"中国—东盟环境展望", "1 个版本"}, []string{"/zh/publications/policy-study-sample/"}},
		{"/en/search?q=mutual+recognition&year=2013", "en", []string{"Eco-labelling in ASEAN and China"}, []string{"/en/publications/aceo-sample/"}},
		{"/en/search?q=%E7%94%9F%E7%89%A9%E5%A4%9A%E6%A0%B7%E6%80%A7", "en", []string{"ASEAN-China Environment Outlook", "1 releases found"}, nil},
		{"/en/search?year=1999", "en", []string{"No release matches"}, nil},
	}
	for _, c := range cases {
		resp, body := get(t, ts.URL+c.path)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", c.path, resp.StatusCode)
			continue
		}
		if got := resp.Header.Get("Content-Language"); got != c.lang {
			t.Errorf("%s: Content-Language %q", c.path, got)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q", c.path, w)
			}
		}
		// on the search page, the releases found (below the sections
		// of the reports' text found)
		rest := body
		if i := strings.Index(body, `id="results"`); strings.Contains(c.path, "/search") && i >= 0 {
			rest = body[i:]
		}
		for _, w := range c.not {
			if strings.Contains(rest, w) {
				t.Errorf("%s: has %q", c.path, w)
			}
		}
		// every page is in its language: the interface labels of the
		// other language do not appear
		if c.lang == "en" && strings.Contains(body, "首页") || c.lang == "zh" && strings.Contains(body, ">Home<") {
			t.Errorf("%s: labels of the other language", c.path)
		}
		for k, v := range securityHeaders {
			if resp.Header.Get(k) != v {
				t.Errorf("%s: header %s = %q", c.path, k, resp.Header.Get(k))
			}
		}
	}
}

func TestLanguageChoice(t *testing.T) {
	_, ts := newServer(t, copyStore(t), nil)
	for al, want := range map[string]string{"": "/en/", "zh-CN,zh;q=0.9,en;q=0.8": "/zh/", "en-GB,en;q=0.9,zh;q=0.5": "/en/", "fr-FR, zh-TW;q=0.7, en;q=0.3": "/zh/", "zh;q=0": "/en/", "th,vi": "/en/"} {
		resp, _ := get(t, ts.URL+"/", "Accept-Language", al)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != want || resp.Header.Get("Vary") != "Accept-Language" {
			t.Errorf("Accept-Language %q: %d to %q (Vary %q), want %s", al, resp.StatusCode, resp.Header.Get("Location"), resp.Header.Get("Vary"), want)
		}
	}
	// a missing page answers in the language of its path, or of the browser
	for _, c := range []struct{ path, al, want string }{
		{"/zh/publications/nothing/", "en", "未找到页面"},
		{"/en/publications/nothing/", "zh", "Page not found"},
		{"/nothing", "zh-CN", "未找到页面"},
		{"/files/aceo-sample/2013/none.pdf", "en", "Page not found"},
	} {
		resp, body := get(t, ts.URL+c.path, "Accept-Language", c.al)
		if resp.StatusCode != 404 || !strings.Contains(body, c.want) {
			t.Errorf("%s (%s): %d, want 404 with %q", c.path, c.al, resp.StatusCode, c.want)
		}
	}
}

func TestConditionalAndCompressed(t *testing.T) {
	_, ts := newServer(t, copyStore(t), nil)
	resp, body := get(t, ts.URL+"/en/")
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if r2, _ := get(t, ts.URL+"/en/", "If-None-Match", etag); r2.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r2.StatusCode)
	}
	r3, gz := get(t, ts.URL+"/en/", "Accept-Encoding", "gzip")
	if r3.Header.Get("Content-Encoding") != "gzip" || len(gz) >= len(body) {
		t.Errorf("gzip: %q, %d bytes for %d", r3.Header.Get("Content-Encoding"), len(gz), len(body))
	}
	css, _ := get(t, ts.URL+"/static/style.css")
	if css.StatusCode != 200 || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Errorf("style sheet: %d %s", css.StatusCode, css.Header.Get("Content-Type"))
	}
}

func TestDownloads(t *testing.T) {
	s := copyStore(t)
	_, ts := newServer(t, s, nil)
	c := catalog(t, s)
	f := fileOf(t, c, "aceo-sample", "2013", "pdf", "zh")
	url := ts.URL + FileURL("aceo-sample", "2013", f.Name)
	resp, body := get(t, url)
	h := sha256.Sum256([]byte(body))
	if resp.StatusCode != 200 || hex.EncodeToString(h[:]) != f.SHA256 || len(body) != f.Size {
		t.Fatalf("download: %d, %d bytes, want %d with the catalogue's hash", resp.StatusCode, len(body), f.Size)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="aceo-sample-zh.pdf"; filename*=UTF-8''aceo-sample-zh.pdf` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if resp.Header.Get("ETag") != `"`+f.SHA256+`"` || resp.Header.Get("Last-Modified") == "" || resp.Header.Get("Content-Type") != "application/pdf" || resp.Header.Get("Accept-Ranges") != "bytes" {
		t.Errorf("headers: %v", resp.Header)
	}
	// ranges
	part, pbody := get(t, url, "Range", "bytes=100-1099")
	if part.StatusCode != http.StatusPartialContent || pbody != body[100:1100] || part.Header.Get("Content-Range") != "bytes 100-1099/"+itoa(f.Size) {
		t.Errorf("range: %d %q, %d bytes", part.StatusCode, part.Header.Get("Content-Range"), len(pbody))
	}
	tail, tbody := get(t, url, "Range", "bytes=-16")
	if tail.StatusCode != http.StatusPartialContent || tbody != body[len(body)-16:] {
		t.Errorf("suffix range: %d %q", tail.StatusCode, tbody)
	}
	bad, _ := get(t, url, "Range", "bytes=99999999-")
	if bad.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("range past the end: %d", bad.StatusCode)
	}
	// If-Range with the ETag resumes; with another, the whole file
	ir, irb := get(t, url, "Range", "bytes=10-19", "If-Range", `"`+f.SHA256+`"`)
	if ir.StatusCode != http.StatusPartialContent || irb != body[10:20] {
		t.Errorf("If-Range: %d", ir.StatusCode)
	}
	if ir2, _ := get(t, url, "Range", "bytes=10-19", "If-Range", `"other"`); ir2.StatusCode != 200 {
		t.Errorf("If-Range with another ETag: %d", ir2.StatusCode)
	}
	if nm, _ := get(t, url, "If-None-Match", `"`+f.SHA256+`"`); nm.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", nm.StatusCode)
	}
	// a withdrawn release's files stay available from the archive
	w := fileOf(t, c, "policy-study-sample", "2013", "pdf", "en")
	if resp, _ := get(t, ts.URL+FileURL("policy-study-sample", "2013", w.Name)); resp.StatusCode != 200 {
		t.Errorf("withdrawn release's file: %d", resp.StatusCode)
	}
	// the catalogue names a file that the store lost: 404, not a crash
	if err := os.Remove(filepath.Join(strings.TrimPrefix(s.String(), "file://"), filepath.FromSlash(w.Key))); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, ts.URL+FileURL("policy-study-sample", "2013", w.Name)); resp.StatusCode != 404 {
		t.Errorf("lost file: %d", resp.StatusCode)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestHostilePaths: nothing from a URL reaches the store unless the
// catalogue lists it.
func TestHostilePaths(t *testing.T) {
	s := copyStore(t)
	// a secret the store holds outside published/
	if _, err := s.Put(context.Background(), "config/secret.txt", strings.NewReader("secret"), 6, store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	_, ts := newServer(t, s, nil)
	for _, p := range []string{
		"/files/aceo-sample/2013/..%2f..%2f..%2fconfig%2fsecret.txt",
		"/files/..%2fconfig/secret.txt/x",
		"/files/aceo-sample/2013/%2e%2e",
		"/files/config/secret.txt/x",
		"/files/aceo-sample/2013/manifest.json%00.pdf",
		"/files/aceo-sample/../../config/secret.txt",
		"/static/..%2f..%2fgo.mod",
		"/en/..%2f..%2fconfig/secret.txt",
		"/zh/publications/../../../config/secret.txt",
		"//config/secret.txt",
		"/files/aceo-sample/2013/" + strings.Repeat("a", 5000),
	} {
		req, _ := http.NewRequest("GET", ts.URL+"/", nil)
		req.URL.RawPath, req.URL.Path = "", ""
		req.URL.Opaque = p
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		body := string(raw)
		resp.Body.Close()
		if resp.StatusCode/100 == 3 {
			// the clean path the server redirects to is not found
			loc := resp.Header.Get("Location")
			resp, body = get(t, ts.URL+loc)
			if resp.StatusCode != 404 {
				t.Errorf("%s: redirected to %s, which answers %d", p, loc, resp.StatusCode)
			}
		}
		if strings.Contains(body, "secret\n") || body == "secret" || resp.StatusCode == 200 && resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("%s: %d served something it should not", p, resp.StatusCode)
		}
		if resp.StatusCode >= 500 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	// only GET and HEAD
	req, _ := http.NewRequest("DELETE", ts.URL+"/en/", nil)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d", resp.StatusCode)
	}
}

func TestCatalogFeedHealth(t *testing.T) {
	s := copyStore(t)
	srv, ts := newServer(t, s, nil)
	resp, body := get(t, ts.URL+"/catalog.json")
	raw, _ := readCatalog(context.Background(), s)
	if resp.StatusCode != 200 || body != string(raw) {
		t.Errorf("catalog.json: %d, not the stored catalogue", resp.StatusCode)
	}
	resp, body = get(t, ts.URL+"/zh/feed.atom")
	var feed struct {
		Lang    string `xml:"lang,attr"`
		Entries []struct {
			Title string `xml:"title"`
			Links []struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil || resp.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("feed: %v %s", err, resp.Header.Get("Content-Type"))
	}
	if len(feed.Entries) != 3 || feed.Lang != "zh" {
		t.Fatalf("feed: %d entries in %q, want 3 in zh", len(feed.Entries), feed.Lang)
	}
	withdrawn := 0
	for _, e := range feed.Entries {
		if strings.HasPrefix(e.Title, "已撤回") {
			withdrawn++
		}
		for _, l := range e.Links {
			if l.Rel == "enclosure" && !strings.HasPrefix(l.Href, "/files/") { // relative: no public URL configured
				t.Errorf("enclosure %s", l.Href)
			}
		}
	}
	if withdrawn != 1 {
		t.Errorf("%d withdrawn entries, want 1", withdrawn)
	}
	resp, body = get(t, ts.URL+"/healthz")
	if resp.StatusCode != 200 || !strings.Contains(body, `"releases":3`) {
		t.Errorf("healthz: %d %s", resp.StatusCode, body)
	}

	// a new release shows after a refresh; a store that fails shows in
	// healthz while the pages stay
	c := catalog(t, s)
	c.Releases[0].Title = map[string]string{"en": "A renamed study", "zh": "改名的研究"}
	data, _ := json.Marshal(c)
	if _, err := s.Put(context.Background(), release.CatalogKey, bytes.NewReader(data), int64(len(data)), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, ts.URL+"/en/archive/"); !strings.Contains(body, "A renamed study") {
		t.Error("the archive did not change with the catalogue")
	}
	if _, err := s.Put(context.Background(), release.CatalogKey, strings.NewReader("{broken"), 7, store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Refresh(context.Background()); err == nil {
		t.Error("a broken catalogue refreshes without error")
	}
	if resp, body := get(t, ts.URL+"/healthz"); resp.StatusCode != 503 || !strings.Contains(body, "degraded") || strings.Contains(body, "published/") || strings.Contains(body, "catalog.json") {
		t.Errorf("healthz with a broken catalogue (it names no internal key): %d %s", resp.StatusCode, body)
	}
	if _, body := get(t, ts.URL+"/en/archive/"); !strings.Contains(body, "A renamed study") {
		t.Error("the pages went away with a broken catalogue")
	}
}

func TestEmptyStore(t *testing.T) {
	s, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, ts := newServer(t, s, nil)
	for _, p := range []string{"/en/", "/zh/", "/en/archive/", "/en/search", "/catalog.json", "/en/feed.atom", "/healthz"} {
		if resp, _ := get(t, ts.URL+p); resp.StatusCode != 200 {
			t.Errorf("%s on an empty store: %d", p, resp.StatusCode)
		}
	}
	if _, body := get(t, ts.URL+"/zh/"); !strings.Contains(body, "尚无发布") {
		t.Error("the empty home page does not say nothing is published")
	}
}

func TestLabelsComplete(t *testing.T) {
	l, err := LoadLabels(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.In("en", "no.such.label"); err == nil {
		t.Error("an unknown label does not fail")
	}
	// every label a template names exists (a page using a missing one
	// fails to render, which TestPages would show only for pages it opens)
	for _, name := range append(pageNames, "layout") {
		data, err := templates.FS.ReadFile("portal/" + name + ".html")
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range strings.Split(string(data), `{{t "`)[1:] {
			key := part[:strings.Index(part, `"`)]
			if _, ok := l[key]; !ok {
				t.Errorf("portal/%s.html uses label %q, which labels.yaml lacks", name, key)
			}
		}
	}
}

func TestInvites(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	inv := Invite{Pub: "aceo-sample", Kind: InviteChapter, Item: "freshwater", Lang: "zh", Author: "Wang", Expires: now.Add(7 * 24 * time.Hour), Nonce: "fixed-nonce"} // one token, the same at every run
	tok, err := SignInvite(testKey, inv)
	if err != nil {
		t.Fatal(err)
	}
	got, err := VerifyInvite(testKey, tok, now)
	if err != nil || got.Item != "freshwater" || got.Lang != "zh" || got.Author != "Wang" {
		t.Fatalf("verify: %+v %v", got, err)
	}
	if _, err := VerifyInvite(testKey, tok, now.Add(8*24*time.Hour)); err != ErrInviteExpired {
		t.Errorf("after expiry: %v", err)
	}
	if _, err := VerifyInvite([]byte("another-key-another-key-another-key!"), tok, now); err != ErrInviteInvalid {
		t.Errorf("another key: %v", err)
	}
	// every single-character change of the token is refused
	for i := 0; i < len(tok); i++ {
		for _, c := range []byte{'A', '_', '.'} {
			if tok[i] == c {
				continue
			}
			bad := tok[:i] + string(c) + tok[i+1:]
			if _, err := VerifyInvite(testKey, bad, now); err == nil {
				t.Fatalf("token changed at %d to %q accepted", i, c)
			}
		}
	}
	// the signature's last character carries two padding bits: setting
	// them spells the same bytes, and must still be refused
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, tok[len(tok)-1])
	if _, err := VerifyInvite(testKey, tok[:len(tok)-1]+string(alphabet[last|1]), now); err != ErrInviteInvalid {
		t.Errorf("token with padding bits set: %v", err)
	}
	// terms rewritten (another chapter, a later expiry) with the old signature
	_, sig, _ := strings.Cut(tok, ".")
	other := inv
	other.Item, other.Expires = "air-quality", now.Add(365*24*time.Hour)
	otok, _ := SignInvite([]byte("attacker-key-attacker-key-attacker-key"), other)
	opayload, _, _ := strings.Cut(otok, ".")
	if _, err := VerifyInvite(testKey, opayload+"."+sig, now); err != ErrInviteInvalid {
		t.Errorf("rewritten terms: %v", err)
	}
	for _, bad := range []Invite{
		{Pub: "aceo-sample", Kind: InviteChapter, Item: "freshwater", Author: "x", Expires: now},
		{Pub: "aceo-sample", Kind: "config", Item: "x", Author: "x", Expires: now},
		{Pub: "../x", Kind: InviteFigure, Item: "x", Author: "x", Expires: now},
		{Pub: "aceo-sample", Kind: InviteFigure, Item: "../../config", Author: "x", Expires: now},
		{Pub: "aceo-sample", Kind: InviteFigure, Item: "map", Author: "", Expires: now},
	} {
		if _, err := SignInvite(testKey, bad); err == nil {
			t.Errorf("signed %+v", bad)
		}
	}
	if _, err := SignInvite([]byte("short"), inv); err == nil {
		t.Error("a short key signs")
	}
}

// upload posts a file through an upload link and returns the status and
// page.
func upload(t *testing.T, url, name string, data []byte, extra ...string) (int, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		fw, _ := mw.CreateFormFile(extra[i], extra[i]+".csv")
		fw.Write([]byte(extra[i+1]))
	}
	mw.Close()
	resp, err := http.Post(url, mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestUploads(t *testing.T) {
	s := copyStore(t)
	now := time.Now()
	_, ts := newServer(t, s, nil)
	repo := &drafts.Repo{Store: s}
	ctx := context.Background()
	link := func(inv Invite, lang string) string {
		if inv.Expires.IsZero() {
			inv.Expires = now.Add(time.Hour)
		}
		inv.Pub, inv.Author = "policy-study-sample", "Nguyen"
		tok, err := SignInvite(testKey, inv)
		if err != nil {
			t.Fatal(err)
		}
		return ts.URL + "/" + lang + "/upload/" + tok
	}
	en, _ := os.ReadFile(filepath.Join("..", "..", "chapters", "policy-study-sample", "en", "schemes.md"))
	zh, _ := os.ReadFile(filepath.Join("..", "..", "chapters", "policy-study-sample", "zh", "schemes.md"))
	count := func() int {
		n := 0
		for _, lang := range []string{"en", "zh"} {
			h, err := repo.History(ctx, "policy-study-sample", drafts.Chapters, "schemes", lang)
			if err != nil {
				t.Fatal(err)
			}
			n += len(h)
		}
		return n
	}
	zhLink := link(Invite{Kind: InviteChapter, Item: "schemes", Lang: "zh"}, "zh")
	start := count()

	// the page says what the link grants
	resp, page := get(t, zhLink)
	if resp.StatusCode != 200 || !strings.Contains(page, "schemes") || !strings.Contains(page, "Nguyen") || !strings.Contains(page, "东盟与中国的环境标志") {
		t.Fatalf("upload page: %d", resp.StatusCode)
	}
	// the English text through the Chinese link: refused, nothing stored
	status, page := upload(t, zhLink, "schemes.md", append(en, '\n', 'x'))
	if line := fmt.Sprintf("schemes.md, 第 %d 行", ms.FrontLine(en, "lang")); status != 422 || !strings.Contains(page, "此链接用于 zh 稿") || !strings.Contains(page, line) {
		t.Errorf("English draft through the Chinese link: %d", status)
	}
	// another chapter through the link
	other := strings.Replace(string(zh), "chapter: schemes", "chapter: recommendations", 1)
	if status, page = upload(t, zhLink, "schemes.md", []byte(other)); status != 422 || !strings.Contains(page, "此链接用于第 schemes 章") {
		t.Errorf("another chapter through the link: %d", status)
	}
	// a broken draft: the validator's problems, with their lines
	broken := strings.Replace(string(zh), "lang: zh", "lang: zh\nauthors: [unclosed", 1)
	if status, page = upload(t, zhLink, "schemes.md", []byte(broken)); status != 422 || !strings.Contains(page, "schemes.md, 第") {
		t.Errorf("broken draft: %d %s", status, page[strings.Index(page, "<main"):])
	}
	// no file
	if status, _ = upload(t, zhLink, "", nil); status != 422 {
		t.Errorf("no file: %d", status)
	}
	if count() != start {
		t.Fatalf("refused uploads stored revisions")
	}
	// a good draft becomes a revision, recorded under the invited author
	good := append(zh, []byte("\n补充一句。\n")...)
	status, page = upload(t, zhLink, "schemes.md", good)
	if status != 200 || !strings.Contains(page, "已接受") {
		t.Fatalf("good draft: %d", status)
	}
	h, _ := repo.History(ctx, "policy-study-sample", drafts.Chapters, "schemes", "zh")
	if newest := h[len(h)-1]; !strings.Contains(page, newest.ID) || newest.Author != "Nguyen" || count() != start+1 {
		t.Errorf("stored %+v; page does not name it", newest)
	}
	// the same file again: not stored twice
	if status, page = upload(t, zhLink, "schemes.md", good); status != 200 || !strings.Contains(page, "相同文件此前已提交") || count() != start+1 {
		t.Errorf("duplicate: %d", status)
	}
	// expired and tampered links
	expired := link(Invite{Kind: InviteChapter, Item: "schemes", Lang: "zh", Expires: now.Add(-time.Minute)}, "en")
	if status, page = upload(t, expired, "schemes.md", good); status != 403 || !strings.Contains(page, "The link has expired") {
		t.Errorf("expired link: %d", status)
	}
	if resp, page := get(t, zhLink+"x"); resp.StatusCode != 403 || !strings.Contains(page, "链接无效") {
		t.Errorf("tampered link: %d", resp.StatusCode)
	}
	// a figure link takes only its figure
	figLink := link(Invite{Kind: InviteFigure, Item: "labels-map"}, "en")
	png, _ := os.ReadFile(filepath.Join("..", "..", "chapters", "aceo-sample", "figures", "forest-cover-map.png"))
	if len(png) == 0 {
		figs, _ := filepath.Glob(filepath.Join("..", "..", "chapters", "*", "figures", "*.png"))
		png, _ = os.ReadFile(figs[0])
	}
	if status, page = upload(t, figLink, "other-figure.png", png); status != 422 || !strings.Contains(page, "this link is for figure labels-map") {
		t.Errorf("another figure: %d", status)
	}
	if status, page = upload(t, figLink, "labels-map.png", png); status != 200 {
		t.Errorf("figure: %d", status)
	}
	if status, page = upload(t, figLink, "labels-map.png", []byte("not an image")); status != 422 {
		t.Errorf("not an image: %d", status)
	}
	// a dataset link: a hostile workbook is refused with the validator's words
	setLink := link(Invite{Kind: InviteDataset, Item: "labels"}, "en")
	if status, page = upload(t, setLink, "labels.xlsx", []byte("PK\x03\x04 not really a workbook")); status != 422 || !strings.Contains(page, "labels.xlsx") {
		t.Errorf("broken workbook: %d", status)
	}
	// too large
	big := bytes.Repeat([]byte("a"), 40<<20)
	if status, _ = upload(t, zhLink, "schemes.md", big); status != http.StatusRequestEntityTooLarge {
		t.Errorf("40 MB upload: %d", status)
	}
}

func TestUploadsOff(t *testing.T) {
	_, ts := newServer(t, copyStore(t), func(c *Config) { c.Uploads, c.InviteKey = nil, nil })
	tok, _ := SignInvite(testKey, Invite{Pub: "policy-study-sample", Kind: InviteChapter, Item: "schemes", Lang: "en", Author: "x", Expires: time.Now().Add(time.Hour)})
	if resp, body := get(t, ts.URL+"/en/upload/"+tok); resp.StatusCode != 404 || !strings.Contains(body, "does not take uploads") {
		t.Errorf("uploads off: %d", resp.StatusCode)
	}
}

func TestAccessLog(t *testing.T) {
	var buf syncBuffer
	srv, ts := newServer(t, copyStore(t), func(c *Config) { c.AccessLog = &buf })
	get(t, ts.URL+"/en/")
	get(t, ts.URL+"/en/upload/secret-token-value")
	srv.log.Close()
	out := buf.String()
	if !strings.Contains(out, `"GET /en/" 200`) || strings.Contains(out, "secret-token-value") || !strings.Contains(out, "/upload/[token]") {
		t.Errorf("access log:\n%s", out)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

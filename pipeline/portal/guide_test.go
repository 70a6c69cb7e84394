package portal

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/guide"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/xuri/excelize/v2"
)

// TestUploadPageReviewsAndGuide: the invited author sees the editors'
// decisions and notes on the chapter's drafts, and a link to the authors'
// guide, which the site serves in both languages.
func TestUploadPageReviewsAndGuide(t *testing.T) {
	s := copyStore(t)
	g, err := guide.HTML()
	if err != nil {
		t.Fatal(err)
	}
	_, ts := newServer(t, s, func(c *Config) { c.Guide = g })
	repo := &drafts.Repo{Store: s}
	ctx := context.Background()
	revs, err := repo.History(ctx, "policy-study-sample", drafts.Chapters, "schemes", "zh")
	if err != nil || len(revs) == 0 {
		t.Fatalf("no zh revision of schemes in the fixture: %v", err)
	}
	if _, err := repo.Review(ctx, "policy-study-sample", "schemes", "zh", revs[len(revs)-1].ID, drafts.Reject, "表 2 的数字与英文版不一致", "李编辑"); err != nil {
		t.Fatal(err)
	}
	tok, err := SignInvite(testKey, Invite{Kind: InviteChapter, Pub: "policy-study-sample", Item: "schemes", Lang: "zh", Author: "Nguyen", Expires: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, decision, guide string }{{"zh", "退回修改", "作者指南"}, {"en", "Returned for changes", "authors' guide"}} {
		resp, page := get(t, ts.URL+"/"+c.lang+"/upload/"+tok)
		if resp.StatusCode != 200 {
			t.Fatalf("%s upload page: %d", c.lang, resp.StatusCode)
		}
		for _, want := range []string{c.decision, "表 2 的数字与英文版不一致", "李编辑", revs[len(revs)-1].ID, `href="/` + c.lang + `/guide/"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s upload page lacks %q", c.lang, want)
			}
		}
		resp, page = get(t, ts.URL+"/"+c.lang+"/guide/")
		if resp.StatusCode != 200 || !strings.Contains(page, c.guide) || !strings.Contains(page, "<table>") || !strings.Contains(page, "aceo-table") {
			t.Errorf("%s guide: %d", c.lang, resp.StatusCode)
		}
	}
	// without a guide, no link and no page
	_, ts2 := newServer(t, s, nil)
	if _, page := get(t, ts2.URL+"/en/upload/"+tok); strings.Contains(page, "/en/guide/") {
		t.Error("a link to a guide the server does not have")
	}
	if resp, _ := get(t, ts2.URL+"/en/guide/"); resp.StatusCode != 404 {
		t.Errorf("guide without one: %d", resp.StatusCode)
	}
}

// faultyStore is a real store whose Get panics while fault is set: a bug
// met while answering one request.
type faultyStore struct {
	store.Store
	fault *atomic.Bool
}

func (f faultyStore) Get(ctx context.Context, key string) (io.ReadCloser, store.Info, error) {
	if f.fault.Load() {
		var m map[string]int
		m[key]++ // a nil map: a bug
	}
	return f.Store.Get(ctx, key)
}

// TestServeSurvivesPanic: a request that meets a bug is answered 500 and
// logged as an internal error naming the request; the server goes on.
func TestServeSurvivesPanic(t *testing.T) {
	var fault atomic.Bool
	var logs bytes.Buffer
	log.SetOutput(&logs)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	s := copyStore(t)
	_, ts := newServer(t, faultyStore{s, &fault}, nil)
	f := fileOf(t, catalog(t, s), "aceo-sample", "2013", "pdf", "en")
	url := ts.URL + FileURL("aceo-sample", "2013", f.Name)
	fault.Store(true)
	resp, body := get(t, url)
	if resp.StatusCode != 500 || !strings.Contains(body, "internal error") {
		t.Fatalf("a request that panicked: %d %q", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "internal error") || !strings.Contains(logs.String(), "GET /files/aceo-sample/2013/"+f.Name) {
		t.Fatalf("not logged: %q", logs.String())
	}
	fault.Store(false)
	if resp, body := get(t, url); resp.StatusCode != 200 || len(body) != f.Size {
		t.Fatalf("after the panic: %d, %d bytes", resp.StatusCode, len(body))
	}
	if resp, _ := get(t, ts.URL+"/en/"); resp.StatusCode != 200 {
		t.Fatalf("home after the panic: %d", resp.StatusCode)
	}
}

// TestUploadChecksBounded: past MaxChecks uploads being checked at once,
// an upload is answered 503 with Retry-After and nothing is stored; once
// a slot is free, the same upload is checked.
func TestUploadChecksBounded(t *testing.T) {
	s := copyStore(t)
	srv, ts := newServer(t, s, func(c *Config) { c.MaxChecks = 1 })
	tok, err := SignInvite(testKey, Invite{Kind: InviteChapter, Pub: "policy-study-sample", Item: "schemes", Lang: "en", Author: "Nguyen", Expires: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	url := ts.URL + "/en/upload/" + tok
	draft := []byte("not a draft")
	srv.checks <- struct{}{} // another author's file being checked
	status, page := uploadWithHeader(t, url, "schemes.md", draft)
	if status.StatusCode != 503 || status.Header.Get("Retry-After") == "" || !strings.Contains(page, "checking other files") {
		t.Fatalf("busy: %d %q", status.StatusCode, status.Header.Get("Retry-After"))
	}
	<-srv.checks
	if code, _ := upload(t, url, "schemes.md", draft); code != 422 {
		t.Fatalf("after the slot was freed: %d, want the draft checked (422)", code)
	}
}

// uploadWithHeader is upload that also returns the response.
func uploadWithHeader(t *testing.T, url, name string, data []byte) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	resp, err := http.Post(url, mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// TestFeedIgnoresHost: the feed's absolute links come from the configured
// public URL, never from the request's Host header; /healthz names no
// endpoint when degraded.
func TestFeedIgnoresHost(t *testing.T) {
	s := copyStore(t)
	_, ts := newServer(t, s, func(c *Config) { c.PublicURL = "https://outlook.example.org/" })
	req, _ := http.NewRequest("GET", ts.URL+"/en/feed.atom", nil)
	req.Host = "evil.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "evil.example") || !strings.Contains(string(body), `href="https://outlook.example.org/files/`) {
		t.Fatalf("feed links:\n%s", body)
	}
}

// TestUploadKindLimit: a chapter link takes at most a chapter draft's
// 2 MB, applied while the body is read (not the 32 MiB of any upload).
func TestUploadKindLimit(t *testing.T) {
	s := copyStore(t)
	_, ts := newServer(t, s, nil)
	tok, err := SignInvite(testKey, Invite{Kind: InviteChapter, Pub: "policy-study-sample", Item: "schemes", Lang: "en", Author: "Nguyen", Expires: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	resp, page := uploadWithHeader(t, ts.URL+"/en/upload/"+tok, "schemes.md", bytes.Repeat([]byte("x"), 3<<20))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "2 MB") {
		t.Fatalf("a 3 MB draft: %d", resp.StatusCode)
	}
}

// TestMultiRange: overlapping and repeated ranges are merged (999 x "-1"
// sends the last byte once), past 16 distinct ranges the whole file is
// sent with 200, and a header of 1,000 items or more (50,000 x "-1") is
// answered 416 without being read.
func TestMultiRange(t *testing.T) {
	s := copyStore(t)
	_, ts := newServer(t, s, nil)
	f := fileOf(t, catalog(t, s), "aceo-sample", "2013", "pdf", "en")
	url := ts.URL + FileURL("aceo-sample", "2013", f.Name)
	many := "bytes=" + strings.TrimSuffix(strings.Repeat("-1,", 999), ",")
	resp, body := get(t, url, "Range", many)
	if resp.StatusCode != http.StatusPartialContent || len(body) != 1 {
		t.Fatalf("999 x -1: %d, %d bytes; want 206 and the last byte once", resp.StatusCode, len(body))
	}
	// past MaxRangeItems items the header is not read: 416 at once
	many = "bytes=" + strings.TrimSuffix(strings.Repeat("-1,", 50000), ",")
	resp, body = get(t, url, "Range", many)
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable || len(body) > 1000 {
		t.Fatalf("50,000 x -1: %d, %d bytes; want 416", resp.StatusCode, len(body))
	}
	var parts []string
	for i := 0; i < 40; i++ {
		parts = append(parts, fmt.Sprintf("%d-%d", i*100, i*100+9))
	}
	resp, body = get(t, url, "Range", "bytes="+strings.Join(parts, ","))
	if resp.StatusCode != 200 || len(body) != f.Size {
		t.Fatalf("40 ranges: %d, %d bytes; want 200 and the whole file (%d)", resp.StatusCode, len(body), f.Size)
	}
	resp, body = get(t, url, "Range", "bytes=0-99,50-149,150-199")
	if resp.StatusCode != http.StatusPartialContent || len(body) != 200 {
		t.Fatalf("overlapping ranges: %d, %d bytes; want one range of 200", resp.StatusCode, len(body))
	}
	// empty ranges and empty items (found by FuzzRange): no empty parts,
	// each with its own headers, are sent
	zero := "bytes=" + strings.TrimSuffix(strings.Repeat("-0,", 50000), ",")
	resp, body = get(t, url, "Range", zero)
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable || len(body) > 1000 {
		t.Fatalf("50,000 x -0: %d, %d bytes; want 416", resp.StatusCode, len(body))
	}
	gaps := "bytes=" + strings.Repeat("0-0,,", 400) + "0-0"
	resp, body = get(t, url, "Range", gaps)
	if resp.StatusCode != http.StatusPartialContent || len(body) != 1 {
		t.Fatalf("400 x '0-0,,': %d, %d bytes; want the first byte once", resp.StatusCode, len(body))
	}
}

// TestUploadHostileWorkbookPage: the probe's workbook, a few KB of zip
// whose cells repeat a 30,000-character text, made the server quote each
// cell twice in a 105 MB page. The page now quotes at most 60 characters
// of a cell and lists at most 50 problems.
func TestUploadHostileWorkbookPage(t *testing.T) {
	s := copyStore(t)
	_, ts := newServer(t, s, nil)
	tok, err := SignInvite(testKey, Invite{Kind: InviteDataset, Pub: "policy-study-sample", Item: "labels", Author: "Nguyen", Expires: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	f.NewSheet("indicators")
	f.SetSheetRow("indicators", "A1", &[]any{"code", "name_en", "name_zh", "unit_en", "unit_zh", "decimals"})
	f.SetSheetRow("indicators", "A2", &[]any{"X", "X", "X", "t", "吨", 0})
	f.SetSheetName("Sheet1", "data")
	f.SetSheetRow("data", "A1", &[]any{"indicator", "country", "year", "value"})
	long := strings.Repeat("9,9", 10000) // 30,000 characters, no number
	for r := 2; r <= 2001; r++ {
		f.SetSheetRow("data", fmt.Sprintf("A%d", r), &[]any{"X", "VNM", 2010, long})
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	code, page := upload(t, ts.URL+"/en/upload/"+tok, "labels.xlsx", b.Bytes())
	if code != 422 {
		t.Fatalf("status %d", code)
	}
	if len(page) > 200<<10 || strings.Contains(page, strings.Repeat("9,9", 30)) {
		t.Errorf("the page is %d bytes; a cell is quoted at length: %v", len(page), strings.Contains(page, strings.Repeat("9,9", 30)))
	}
	if !regexp.MustCompile(`and \d+ more problems`).MatchString(page) {
		t.Errorf("the page does not say how many more problems there are")
	}
	t.Logf("workbook %d bytes, page %d bytes", b.Len(), len(page))
}

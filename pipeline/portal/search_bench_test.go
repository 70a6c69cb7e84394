package portal

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkSearchPage: the search page for the six queries of issue 18
// in turn, rendered in process (scripts/load.sh measures it over HTTP).
func BenchmarkSearchPage(b *testing.B) {
	s := copyStore(b)
	srv, _ := newServer(b, s, nil)
	h := srv.Handler()
	qs := []string{"mangrove", "Mekong", "PM2.5", "haze", "%E7%BA%A2%E6%A0%91%E6%9E%97", "%E6%B9%84%E5%85%AC%E6%B2%B3"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := httptest.NewRequest(http.MethodGet, "/en/search?q="+qs[i%len(qs)], nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
		i++
	}
}

// BenchmarkSearchNewQuery: a search page for a query not asked before
// (its page made, not taken from the cache).
func BenchmarkSearchNewQuery(b *testing.B) {
	srv, _ := newServer(b, copyStore(b), nil)
	qs := []string{"q=mangrove", "q=Mekong", "q=PM2.5", "q=haze", "q=%E7%BA%A2%E6%A0%91%E6%9E%97", "q=%E6%B9%84%E5%85%AC%E6%B2%B3"}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := srv.searchPage(context.Background(), srv.snap.Load(), "en", qs[i%len(qs)]+"&n="+strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// TestPageCache: a page is kept once its query is asked again, found
// again by its key, and the cache holds at most two generations.
func TestPageCache(t *testing.T) {
	var c pageCache
	a := newLazyAsset([]byte("page"), "text/html", 1)
	c.put("en?q=haze", a)
	if c.get("en?q=haze") != nil {
		t.Fatal("a query asked once is kept")
	}
	c.put("en?q=haze", a)
	if c.get("en?q=haze") != a {
		t.Fatal("a query asked twice is not kept")
	}
	for i := 0; i < 5*cacheGeneration; i++ {
		k := "en?q=" + strconv.Itoa(i)
		c.put(k, a)
		c.put(k, a)
	}
	if n := len(c.cur) + len(c.old); n > 2*cacheGeneration {
		t.Errorf("%d pages kept", n)
	}
	if len(c.asked)+len(c.askedOld) > 16*cacheGeneration {
		t.Errorf("%d queries remembered", len(c.asked)+len(c.askedOld))
	}
}

// TestSearchPageRepeated: a search asked again gives the same page, with
// an ETag that answers 304, and gzip when asked.
func TestSearchPageRepeated(t *testing.T) {
	_, ts := newServer(t, copyStore(t), nil)
	var first string
	var etag string
	for i := 0; i < 3; i++ {
		resp, body := get(t, ts.URL+"/en/search?q=haze")
		if resp.StatusCode != 200 || !strings.Contains(body, `class="hit"`) {
			t.Fatalf("%d: %d", i, resp.StatusCode)
		}
		if i == 0 {
			first, etag = body, resp.Header.Get("ETag")
		} else if body != first || resp.Header.Get("ETag") != etag {
			t.Errorf("ask %d: another page", i)
		}
	}
	if resp, _ := get(t, ts.URL+"/en/search?q=haze", "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/en/search?q=haze", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Error("no gzip")
	}
}

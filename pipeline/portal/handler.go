package portal

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/textproto"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/store"
)

// securityHeaders are sent with every response: nothing but this server's
// own styles and script, no framing, no sniffing, and no Referer (upload
// links carry their token in the path).
var securityHeaders = map[string]string{
	"Content-Security-Policy":      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Referrer-Policy":              "no-referrer",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Permissions-Policy":           "camera=(), microphone=(), geolocation=()",
}

// Handler is the whole site.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.root)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /catalog.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		s.serveAsset(w, r, s.snap.Load().json, "")
	})
	mux.HandleFunc("GET /static/{name}", func(w http.ResponseWriter, r *http.Request) {
		a, ok := s.static[r.PathValue("name")]
		if !ok {
			s.notFound(w, r, langOf(r))
			return
		}
		if r.URL.Query().Get("v") == s.staticVersion {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		s.serveAsset(w, r, a, "")
	})
	mux.HandleFunc("GET /files/{pub}/{rel}/{name}", s.download)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		s.serveAsset(w, r, s.favicon, "")
	})
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		s.serveAsset(w, r, s.robots, "")
	})
	mux.HandleFunc("GET /sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.PublicURL == "" {
			// a sitemap lists absolute addresses
			http.Error(w, "no sitemap: the catalogue's public address is not set (aceo serve --public-url)", http.StatusNotFound)
			return
		}
		s.serveAsset(w, r, s.snap.Load().sitemap, "")
	})
	for _, lang := range Languages {
		fixed := func(h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) { h(w, r, lang) }
		}
		mux.HandleFunc("GET /"+lang+"/feed.atom", fixed(s.feed))
		mux.HandleFunc("GET /"+lang+"/search", fixed(func(w http.ResponseWriter, r *http.Request, lang string) {
			a, err := s.searchPage(r.Context(), s.snap.Load(), lang, r.URL.RawQuery)
			if r.Context().Err() != nil {
				return // the reader left before the page was made
			}
			if err != nil {
				log.Print(err)
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
			s.serveAsset(w, r, a, lang)
		}))
		mux.HandleFunc("GET /"+lang+"/guide/{$}", fixed(s.guide))
		mux.HandleFunc("GET /"+lang+"/upload/{token}", fixed(s.upload))
		mux.HandleFunc("POST /"+lang+"/upload/{token}", fixed(s.upload))
		mux.HandleFunc("GET /"+lang, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/"+lang+"/", http.StatusMovedPermanently)
		})
		mux.HandleFunc("GET /"+lang+"/{rest...}", fixed(func(w http.ResponseWriter, r *http.Request, lang string) {
			snap := s.snap.Load()
			p, ok := snap.pages[r.URL.Path]
			if !ok {
				// /en/publications/x without its slash
				if _, ok := snap.pages[r.URL.Path+"/"]; ok {
					http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
					return
				}
				s.notFound(w, r, lang)
				return
			}
			s.serveAsset(w, r, p, lang)
		}))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		s.notFound(w, r, langOf(r))
	})
	var h http.Handler = mux
	h = recoverer(h)
	h = minRate(h)
	h = secure(h)
	if s.log != nil {
		h = s.log.wrap(h)
	}
	return h
}

func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range securityHeaders {
			w.Header().Set(k, v)
		}
		h.ServeHTTP(w, r)
	})
}

// recoverer answers a request that met a bug (a panic) with 500 and logs
// an internal error naming the request, instead of dropping the
// connection; the server goes on serving. http.ErrAbortHandler is let
// through, as net/http means it.
func recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			log.Print(diag.Recovered(rec, r.Method+" "+r.URL.Path))
			w.Header().Del("Content-Encoding")
			http.Error(w, "internal error: the problem was logged; please try again or tell the site's editors", http.StatusInternalServerError)
		}()
		h.ServeHTTP(w, r)
	})
}

// root sends a visitor to the home page in the language the browser asks
// for.
func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Accept-Language")
	w.Header().Set("Cache-Control", "no-cache")
	http.Redirect(w, r, "/"+langOf(r)+"/", http.StatusFound)
}

// serveAsset answers with a rendered page or a static file, compressed
// when the client takes gzip, 304 when the client has it.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, a *asset, lang string) {
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Vary", "Accept-Encoding")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	if lang != "" {
		h.Set("Content-Language", lang)
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if gz := a.gzipped(); gz != nil {
			h.Set("Content-Encoding", "gzip")
			body = gz
		}
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// page renders a page template with a status (not-found, upload).
func (s *Server) page(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	d.Base = s.cfg.PublicURL
	if d.Description == "" {
		d.Description = s.label(d.Lang, "site.tagline")
	}
	// pages of one visitor or of an error: not for search engines
	d.NoIndex = d.NoIndex || name != "guide"
	if snap := s.snap.Load(); snap != nil && d.Updated.IsZero() {
		d.Updated = snap.updated
	}
	body, err := s.execute(name, d)
	if err != nil {
		log.Print(err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", d.Lang)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// guide serves the authors' guide in lang.
func (s *Server) guide(w http.ResponseWriter, r *http.Request, lang string) {
	g, ok := s.cfg.Guide[lang]
	if !ok {
		s.notFound(w, r, lang)
		return
	}
	s.page(w, r, http.StatusOK, "guide", pageData{Lang: lang, Other: other(lang), Path: "/guide/", Static: s.staticVersion, Title: s.label(lang, "guide.title"), Nav: "guide", Guide: g})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, lang string) {
	s.page(w, r, http.StatusNotFound, "notfound", pageData{Lang: lang, Other: other(lang), Path: "/", Static: s.staticVersion, Title: s.label(lang, "notfound.title")})
}

// MaxRanges is how many byte ranges one request may ask for, once
// overlapping and adjacent ones are merged.
const MaxRanges = 16

// MaxRangeItems is how many items a Range header may list before any is
// read: past it, the answer is 416 at once (no client sends so many; a
// 50,000-item header is an attack, and reading it would cost more than
// serving a page).
const MaxRangeItems = 1000

// tameRange rewrites a Range header that would amplify the response:
// ranges are merged when they overlap or touch (50,000 x "-1" is one
// range), and past MaxRanges the header is dropped, so the whole file is
// sent once with 200, as large servers do. A header it cannot read, or
// whose ranges are all unsatisfiable, is made one that http.ServeContent
// answers with 416, so nothing unread reaches it.
func tameRange(r *http.Request, size int64) {
	h := r.Header.Get("Range")
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok || !strings.Contains(spec, ",") || size <= 0 {
		return
	}
	unsatisfiable := "bytes=" + strconv.FormatInt(size, 10) + "-" // ServeContent answers 416
	if strings.Count(spec, ",") >= MaxRangeItems {
		r.Header.Set("Range", unsatisfiable)
		return
	}
	// read as net/http's parseRange reads it, so that what is left to
	// http.ServeContent is what was checked here
	type rng struct{ a, b int64 } // inclusive
	var rs []rng
	for rest := spec; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		part = textproto.TrimString(part)
		if part == "" {
			continue
		}
		first, last, ok := strings.Cut(part, "-")
		if !ok {
			r.Header.Set("Range", unsatisfiable) // invalid: 416
			return
		}
		first, last = textproto.TrimString(first), textproto.TrimString(last)
		var a, b int64
		if first == "" {
			if last == "" || last[0] == '-' {
				r.Header.Set("Range", unsatisfiable)
				return
			}
			n, err := strconv.ParseInt(last, 10, 64)
			if err != nil || n < 0 {
				r.Header.Set("Range", unsatisfiable)
				return
			}
			if n == 0 {
				continue // no byte: not sent as an empty part
			}
			a, b = max(size-n, 0), size-1
		} else {
			x, err := strconv.ParseInt(first, 10, 64)
			if err != nil || x < 0 {
				r.Header.Set("Range", unsatisfiable)
				return
			}
			if x >= size {
				continue // unsatisfiable on its own, whatever follows: left out (as net/http does)
			}
			a, b = x, size-1
			if last != "" {
				y, err := strconv.ParseInt(last, 10, 64)
				if err != nil || y < x {
					r.Header.Set("Range", unsatisfiable)
					return
				}
				b = min(y, size-1)
			}
		}
		if n := len(rs); n > 0 && rs[n-1] == (rng{a, b}) {
			continue // the same range again
		}
		rs = append(rs, rng{a, b})
	}
	if len(rs) == 0 {
		r.Header.Set("Range", unsatisfiable) // nothing satisfiable
		return
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].a < rs[j].a })
	merged := rs[:1]
	for _, x := range rs[1:] {
		last := &merged[len(merged)-1]
		if x.a <= last.b+1 {
			last.b = max(last.b, x.b)
			continue
		}
		merged = append(merged, x)
	}
	if len(merged) > MaxRanges {
		r.Header.Del("Range")
		return
	}
	var parts []string
	for _, x := range merged {
		parts = append(parts, strconv.FormatInt(x.a, 10)+"-"+strconv.FormatInt(x.b, 10))
	}
	r.Header.Set("Range", "bytes="+strings.Join(parts, ","))
}

// download streams a released file from the store (with Range, ETag and
// Last-Modified), or redirects to a presigned URL. Only files the
// catalogue lists are served: the URL is looked up, never turned into a
// key.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	ref, ok := s.snap.Load().files[r.URL.EscapedPath()]
	if !ok {
		ref, ok = s.snap.Load().files[FileURL(r.PathValue("pub"), r.PathValue("rel"), r.PathValue("name"))]
	}
	if !ok {
		s.notFound(w, r, langOf(r))
		return
	}
	f := ref.file
	h := w.Header()
	done, ok := s.downloads.acquire(r)
	if !ok {
		// one address may not hold every connection with downloads
		h.Set("Retry-After", "5")
		http.Error(w, "too many downloads at once from your address; retry when one has finished", http.StatusTooManyRequests)
		return
	}
	defer done()
	if ps, ok := s.cfg.Store.(store.Presigner); ok && s.cfg.Presign > 0 {
		u, err := ps.PresignGet(r.Context(), f.Key, s.cfg.Presign, f.Name)
		if err != nil {
			log.Printf("download %s: %v", f.Key, err)
			s.unavailable(w, r)
			return
		}
		h.Set("Cache-Control", "no-store")
		http.Redirect(w, r, u, http.StatusFound)
		return
	}
	h.Set("Content-Disposition", store.Attachment(f.Name))
	h.Set("Content-Type", release.ContentType(f.Name))
	h.Set("ETag", `"`+f.SHA256+`"`)
	h.Set("Cache-Control", "public, max-age=3600")
	if ra, ok := s.cfg.Store.(store.RandomAccess); ok {
		rc, in, err := ra.Open(r.Context(), f.Key)
		if err != nil {
			s.storeFailed(w, r, f.Key, err)
			return
		}
		defer rc.Close()
		if in.Size != int64(f.Size) {
			log.Printf("download %s: the store has %d bytes, the catalogue says %d", f.Key, in.Size, f.Size)
			s.unavailable(w, r)
			return
		}
		tameRange(r, in.Size)
		http.ServeContent(w, r, f.Name, ref.rel.Released, rc)
		return
	}
	// a store without ranged reads: the whole file, verified as it goes
	rc, _, err := s.cfg.Store.Get(r.Context(), f.Key)
	if err != nil {
		s.storeFailed(w, r, f.Key, err)
		return
	}
	defer rc.Close()
	h.Set("Last-Modified", ref.rel.Released.UTC().Format(http.TimeFormat))
	h.Set("Content-Length", fmt.Sprint(f.Size))
	if r.Method != http.MethodHead {
		io.Copy(w, rc)
	}
}

func (s *Server) storeFailed(w http.ResponseWriter, r *http.Request, key string, err error) {
	log.Printf("download %s: %v", key, err)
	if errors.Is(err, store.ErrNotExist) {
		s.notFound(w, r, langOf(r))
		return
	}
	s.unavailable(w, r)
}

func (s *Server) unavailable(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	w.Header().Del("Content-Disposition")
	w.Header().Set("Retry-After", "60")
	s.page(w, r, http.StatusServiceUnavailable, "unavailable", pageData{Lang: lang, Other: other(lang), Path: "/", Static: s.staticVersion, Title: s.label(lang, "error.title")})
}

// healthz says whether the catalogue was read at the last check.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	st := s.health.Load()
	snap := s.snap.Load()
	body := map[string]any{"status": "ok", "releases": len(snap.cat.Releases), "checked": st.checked.UTC().Format(time.RFC3339)}
	if !snap.updated.IsZero() {
		body["catalog_updated"] = snap.updated.UTC().Format(time.RFC3339)
	}
	status := http.StatusOK
	if st.err != nil {
		// the cause is logged; what the world sees names no endpoint
		body["status"], body["error"] = "degraded", "the catalogue could not be read from the store"
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// Atom feed of releases (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
	Lang string `xml:"hreflang,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link"`
	Summary   string     `xml:"summary,omitempty"`
	Category  []atomCat  `xml:"category"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request, lang string) {
	snap := s.snap.Load()
	base := s.cfg.PublicURL // links from the configured address, never from the request's Host
	f := atomFeed{Lang: lang, ID: base + "/" + lang + "/feed.atom", Title: s.label(lang, "site.name"),
		Updated: snap.updated.UTC().Format(time.RFC3339), Author: atomPerson{Name: s.label(lang, "site.name")},
		Links: []atomLink{{Rel: "self", Href: base + "/" + lang + "/feed.atom", Type: "application/atom+xml"}, {Rel: "alternate", Href: base + "/" + lang + "/", Type: "text/html"}}}
	if snap.updated.IsZero() {
		f.Updated = time.Unix(0, 0).UTC().Format(time.RFC3339)
	}
	for i := len(snap.cat.Releases) - 1; i >= 0; i-- {
		rel := &snap.cat.Releases[i]
		v := s.relView(rel, lang, false)
		e := atomEntry{ID: base + "/releases/" + rel.Publication + "/" + rel.Name, Title: v.Title + " · " + v.Label,
			Published: rel.Released.UTC().Format(time.RFC3339), Updated: rel.Released.UTC().Format(time.RFC3339), Summary: v.Summary,
			Links: []atomLink{{Rel: "alternate", Href: base + "/" + lang + "/publications/" + rel.Publication + "/#rel-" + rel.Name, Type: "text/html"}}}
		if rel.Withdrawn != nil {
			e.Title = s.label(lang, "pub.withdrawn") + ": " + e.Title
			e.Updated = rel.Withdrawn.Time.UTC().Format(time.RFC3339)
			e.Summary = s.label(lang, "pub.reason") + ": " + v.Reason
		}
		for _, file := range rel.Files {
			if file.Kind == "pdf" {
				e.Links = append(e.Links, atomLink{Rel: "enclosure", Href: base + FileURL(rel.Publication, rel.Name, file.Name), Type: "application/pdf", Lang: file.Lang})
			}
		}
		for _, t := range rel.Topics {
			name, _ := text(publication.Topics[t], lang)
			e.Category = append(e.Category, atomCat{Term: t, Label: name})
		}
		f.Entries = append(f.Entries, e)
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		log.Printf("feed: %v", err)
	}
}

// accessLog writes one line per request, buffered and flushed every
// second, so that logging does not slow a busy server.
type accessLog struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done sync.Once
}

func newAccessLog(w io.Writer) *accessLog {
	l := &accessLog{w: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{})}
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				l.mu.Lock()
				l.w.Flush()
				l.mu.Unlock()
			}
		}
	}()
	return l
}

// Close flushes the log.
func (l *accessLog) Close() {
	l.done.Do(func() { close(l.stop) })
	l.mu.Lock()
	l.w.Flush()
	l.mu.Unlock()
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rw *recorder) WriteHeader(code int) {
	if rw.status == 0 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	n, err := rw.ResponseWriter.Write(b)
	rw.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (the read and
// write deadlines of minRate).
func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// ReadFrom keeps io.Copy's fast path (sendfile) for downloads.
func (rw *recorder) ReadFrom(r io.Reader) (int64, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	n, err := io.Copy(rw.ResponseWriter, r)
	rw.bytes += n
	return n, err
}

func (l *accessLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		p := r.URL.Path
		// an upload link is a credential: it is not logged
		if i := strings.Index(p, "/upload/"); i >= 0 {
			p = p[:i] + "/upload/[token]"
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		l.mu.Lock()
		fmt.Fprintf(l.w, "%s %s %q %d %d %.1fms %q\n", start.UTC().Format(time.RFC3339), r.RemoteAddr, r.Method+" "+p, rec.status, rec.bytes, float64(time.Since(start).Microseconds())/1000, r.UserAgent())
		l.mu.Unlock()
	})
}

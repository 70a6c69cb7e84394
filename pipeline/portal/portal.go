// Package portal is the public web catalogue of aceo (aceo serve): pages
// in English and Chinese that list the published reports, downloads of
// their files streamed from the store, the catalogue as JSON and Atom, and
// an upload page through which invited authors submit drafts.
//
// The public pages only read published/ and need no write access. Pages
// are rendered once per catalogue version, when the server notices the
// catalogue changed, not per request.
package portal

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/store"
)

// Intake checks and stores the files invited authors upload. The
// catalogue links no parser of its own: the intake (pipeline/intake)
// brings the checks of aceo validate.
type Intake interface {
	// Submit checks a file within its invitation and stores it only if
	// it passes; a file that is not the one invited is a
	// *drafts.ScopeError. It returns the revision and any warnings.
	Submit(ctx context.Context, sub drafts.Submission) (drafts.Result, diag.List, error)
	// Repository is where the files go, read for the invitation's
	// publication and the editors' decisions.
	Repository() *drafts.Repo
}

// Config sets up a Server.
type Config struct {
	// Store holds published/; read access is enough.
	Store store.Store
	// Templates holds portal/ (labels, page templates, style sheet).
	Templates fs.FS
	// Refresh is how often the catalogue is checked for changes
	// (default 10 s).
	Refresh time.Duration
	// Presign, when not zero, answers downloads with a redirect to a URL
	// of the store valid this long (S3 stores), instead of streaming.
	Presign time.Duration
	// Uploads takes invited authors' files into the drafts area: it
	// checks each within its invitation and stores it only if it passes
	// (intake.Desk on a repository with write access to drafts/). nil
	// turns the upload page off.
	Uploads Intake
	// InviteKey signs and checks invitation links (at least 32 bytes).
	InviteKey []byte
	// MaxUpload limits an uploaded file (default 32 MiB).
	MaxUpload int64
	// AccessLog receives one line per request; nil logs nothing.
	AccessLog io.Writer
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Guide is the authors' guide as HTML, by language, served at
	// /{lang}/guide/ and linked from the upload page; nil: no guide.
	Guide map[string]template.HTML
	// MaxConns is how many connections are served at once (default
	// DefaultMaxConns); past it, new ones wait to be accepted.
	MaxConns int
	// MaxConnsPerAddr is how many of them one client address may hold
	// (default DefaultMaxConnsPerAddr); its further connections are
	// closed at once.
	MaxConnsPerAddr int
	// PublicURL is the catalogue's address as the public reaches it
	// (https://outlook.example.org), from which the Atom feed makes its
	// absolute links; empty: the links are relative. The request's Host
	// header is never used: a client could put any name in it.
	PublicURL string
	// MaxChecks is how many uploaded files are checked at once (default:
	// the number of processors); past it an upload is answered 503 with
	// Retry-After, so that a few authors cannot hold the server. Each
	// check's memory is bounded by MaxUpload and the readers' limits.
	MaxChecks int
}

// Server serves the catalogue.
type Server struct {
	cfg           Config
	checks        chan struct{} // one token per upload being checked
	searching     chan struct{} // one token per search being rendered
	downloads     perClient     // downloads running, by address
	labels        Labels
	pages         map[string]*template.Template // by page name then language: "home/en"
	static        map[string]*asset             // /static/<name>
	favicon       *asset                        // /favicon.ico
	robots        *asset                        // /robots.txt
	staticVersion string
	snap          atomic.Pointer[snapshot]
	health        atomic.Pointer[healthState]
	log           *accessLog
	mu            sync.Mutex     // serialises refreshes
	texts         map[string]any // contents and indexes read, by key@sha256 (under mu)
}

type healthState struct {
	checked time.Time
	err     error
}

// New prepares a server: it parses the templates and labels, and reads
// the catalogue once (a store that cannot be read is an error, so that a
// wrong URL or key is found at start).
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("portal: no store")
	}
	if cfg.Templates == nil {
		return nil, errors.New("portal: no templates")
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = 10 * time.Second
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 32 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Uploads != nil && len(cfg.InviteKey) < 32 {
		return nil, errors.New("portal: uploads need an invitation key of at least 32 bytes (ACEO_INVITE_KEY)")
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.MaxChecks <= 0 {
		cfg.MaxChecks = runtime.GOMAXPROCS(0)
	}
	s := &Server{cfg: cfg, checks: make(chan struct{}, cfg.MaxChecks), searching: make(chan struct{}, runtime.GOMAXPROCS(0))}
	var err error
	if s.labels, err = LoadLabels(cfg.Templates); err != nil {
		return nil, err
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	if cfg.AccessLog != nil {
		s.log = newAccessLog(cfg.AccessLog)
	}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// pageNames are the page templates, each combined with layout.html.
var pageNames = []string{"home", "publication", "chapter", "archive", "search", "notfound", "unavailable", "upload", "guide"}

func (s *Server) parseTemplates() error {
	s.pages = map[string]*template.Template{}
	for _, lang := range Languages {
		lang := lang
		funcs := template.FuncMap{
			"t":    func(key string) (string, error) { return s.labels.In(lang, key) },
			"date": func(t time.Time) string { return formatDate(t, lang) },
		}
		for _, name := range pageNames {
			t, err := template.New(name).Funcs(funcs).ParseFS(s.cfg.Templates, "portal/layout.html", "portal/"+name+".html")
			if err != nil {
				return fmt.Errorf("portal template %s: %w", name, err)
			}
			s.pages[name+"/"+lang] = t
		}
	}
	return nil
}

// asset is a file served as is, compressed once: when it is made, or
// (lazy) when a client first takes gzip.
type asset struct {
	body  []byte
	ctype string
	etag  string
	level int
	once  sync.Once
	gz    []byte // nil when the gzip form is not smaller
}

// newAsset keeps body with its ETag and, when that is smaller, its gzip
// form at the given compression level.
func newAsset(body []byte, ctype string, level int) *asset {
	a := newLazyAsset(body, ctype, level)
	a.gzipped()
	return a
}

// newLazyAsset is newAsset compressing only when a client takes gzip (a
// search page asked once by a client that does not need it to be).
func newLazyAsset(body []byte, ctype string, level int) *asset {
	h := sha256.Sum256(body)
	if level < gzip.BestSpeed || level > gzip.BestCompression {
		level = 6 // gzip.DefaultCompression
	}
	return &asset{body: body, ctype: ctype, etag: `"` + hex.EncodeToString(h[:16]) + `"`, level: level}
}

// gzipPools keep gzip writers by level: a new one allocates and clears
// hundreds of kilobytes.
var gzipPools [gzip.BestCompression + 1]sync.Pool

// gzipped is the gzip form of the asset, nil when it is not smaller.
func (a *asset) gzipped() []byte {
	a.once.Do(func() {
		var b bytes.Buffer
		zw, _ := gzipPools[a.level].Get().(*gzip.Writer)
		if zw == nil {
			zw, _ = gzip.NewWriterLevel(&b, a.level)
		} else {
			zw.Reset(&b)
		}
		zw.Write(a.body)
		zw.Close()
		gzipPools[a.level].Put(zw)
		if b.Len() < len(a.body) {
			a.gz = b.Bytes()
		}
	})
	return a.gz
}

func (s *Server) loadStatic() error {
	s.static = map[string]*asset{}
	h := sha256.New()
	for _, f := range []struct{ name, ctype string }{{"style.css", "text/css; charset=utf-8"}, {"upload.js", "text/javascript; charset=utf-8"}, {"favicon.svg", "image/svg+xml"}} {
		data, err := fs.ReadFile(s.cfg.Templates, "portal/"+f.name)
		if err != nil {
			return fmt.Errorf("portal: %w", err)
		}
		s.static[f.name] = newAsset(data, f.ctype, gzip.BestCompression)
		h.Write(data)
	}
	s.staticVersion = hex.EncodeToString(h.Sum(nil)[:6])
	s.favicon = newAsset(favicon(), "image/x-icon", gzip.BestCompression)
	s.robots = newAsset(s.robotsTxt(), "text/plain; charset=utf-8", gzip.BestCompression)
	return nil
}

// Refresh reads the catalogue if it changed since the last read and
// renders the pages again.
func (s *Server) Refresh(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.refresh(ctx)
	if err != nil {
		log.Printf("catalogue: %v", err) // the cause, for the operator; /healthz names none
	}
	s.health.Store(&healthState{checked: s.cfg.Now(), err: err})
	return err
}

func (s *Server) refresh(ctx context.Context) error {
	old := s.snap.Load()
	if old != nil {
		in, err := s.cfg.Store.Stat(ctx, release.CatalogKey)
		switch {
		case errors.Is(err, store.ErrNotExist) && old.raw == nil:
			return nil
		case err != nil && !errors.Is(err, store.ErrNotExist):
			return fmt.Errorf("check the catalogue: %w", err)
		case err == nil && in.SHA256 != "" && in.SHA256 == old.sha:
			return nil
		}
	}
	raw, err := readCatalog(ctx, s.cfg.Store)
	if err != nil {
		return err
	}
	cat, err := parseCatalog(raw)
	if err != nil {
		return err
	}
	snap, err := s.render(raw, cat, s.loadTexts(ctx, cat))
	if err != nil {
		return err
	}
	s.snap.Store(snap)
	return nil
}

// readCatalog reads published/catalog.json as stored (nil: none yet).
func readCatalog(ctx context.Context, st store.Store) ([]byte, error) {
	rc, _, err := st.Get(ctx, release.CatalogKey)
	if errors.Is(err, store.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the catalogue: %w", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read the catalogue: %w", err)
	}
	return data, nil
}

// Watch refreshes the catalogue every Refresh until ctx ends; a failed
// refresh keeps the pages served and shows in /healthz.
func (s *Server) Watch(ctx context.Context) {
	t := time.NewTicker(s.cfg.Refresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = s.Refresh(ctx)
		}
	}
}

// MaxHeaderBytes bounds a request's header: browsers send a few KB, and
// anything larger is refused (431) while it is read.
const MaxHeaderBytes = 64 << 10

// ListenAndServe serves on addr until ctx ends, then shuts down
// gracefully: requests in flight (downloads included) get up to grace to
// finish. ready, when not nil, receives the address listened on.
func (s *Server) ListenAndServe(ctx context.Context, addr string, grace time.Duration, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	maxConns := s.cfg.MaxConns
	if maxConns <= 0 {
		maxConns = DefaultMaxConns()
	}
	perAddr := s.cfg.MaxConnsPerAddr
	if perAddr <= 0 {
		perAddr = DefaultMaxConnsPerAddr
	}
	ln = newLimitListener(ln, maxConns, perAddr)
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: MaxHeaderBytes}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go s.Watch(wctx)
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err = hs.Shutdown(sctx)
	if s.log != nil {
		s.log.Close()
	}
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// langOf picks the interface language from Accept-Language: the first
// language the browser prefers that the interface has.
func langOf(r *http.Request) string {
	best, bestQ := Languages[0], -1.0
	for i, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, q := strings.TrimSpace(part), 1.0
		if k := strings.Index(tag, ";"); k >= 0 {
			params := tag[k+1:]
			tag = strings.TrimSpace(tag[:k])
			if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
				fmt.Sscanf(v, "%g", &q)
			}
		}
		base := strings.ToLower(tag)
		if k := strings.IndexAny(base, "-_"); k >= 0 {
			base = base[:k]
		}
		for _, l := range Languages {
			// earlier entries win ties, as browsers list them by preference
			if base == l && q > 0 && (q > bestQ || (q == bestQ && i == 0)) {
				best, bestQ = l, q
			}
		}
	}
	return best
}

func formatDate(t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	if lang == "zh" {
		return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
	}
	return t.Format("2 January 2006")
}

func formatSize(n int, lang string) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	if lang == "zh" {
		return fmt.Sprintf("%d 字节", n)
	}
	return fmt.Sprintf("%d bytes", n)
}

package portal

import (
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Limits on what one client can hold of the server.
const (
	// MinRate is the slowest transfer, in bytes a second, a request body
	// or a download may keep to once its grace period is over; below it
	// the connection is closed.
	MinRate          = 1 << 10
	rateGraceDefault = 10 * time.Second
	// DefaultMaxConns is how many connections are served at once.
	DefaultMaxConns = 512
	// DownloadsPerClient is how many downloads one address may run at once.
	DownloadsPerClient = 4
)

// rateGrace is how long a transfer may stall before MinRate applies
// (shortened by tests).
var rateGrace = rateGraceDefault

// rateBody is a request body that must arrive at MinRate: each read
// pushes the connection's read deadline to what the bytes so far allow,
// so a body trickled a byte every five seconds is cut off.
type rateBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	n     int64
}

func (b *rateBody) Read(p []byte) (int, error) {
	b.extend()
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	return n, err
}

// extend sets the read deadline: the grace, plus a second for each
// MinRate bytes received.
func (b *rateBody) extend() {
	allowed := rateGrace + time.Duration(b.n/MinRate)*time.Second
	_ = b.rc.SetReadDeadline(b.start.Add(allowed))
}

// rateWriter is a response that must be taken at MinRate.
type rateWriter struct {
	http.ResponseWriter
	rc    *http.ResponseController
	start time.Time
	n     int64
}

func (w *rateWriter) Write(p []byte) (int, error) {
	allowed := rateGrace + time.Duration((w.n+int64(len(p)))/MinRate)*time.Second
	_ = w.rc.SetWriteDeadline(w.start.Add(allowed))
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *rateWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// minRate holds every request body and response to MinRate, so that no
// client keeps a connection by sending or taking bytes slowly.
func minRate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		rc := http.NewResponseController(w)
		if r.Body != nil && r.Body != http.NoBody {
			b := &rateBody{ReadCloser: r.Body, rc: rc, start: now}
			b.extend()
			r.Body = b
		}
		h.ServeHTTP(&rateWriter{ResponseWriter: w, rc: rc, start: now}, r)
	})
}

// perClient counts the downloads each address runs.
type perClient struct {
	mu sync.Mutex
	n  map[string]int
}

// acquire takes a download slot for the request's address; false when the
// address has DownloadsPerClient running.
func (p *perClient) acquire(r *http.Request) (release func(), ok bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	host = strings.ToLower(host)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n == nil {
		p.n = map[string]int{}
	}
	if p.n[host] >= DownloadsPerClient {
		return nil, false
	}
	p.n[host]++
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.n[host]--; p.n[host] <= 0 {
			delete(p.n, host)
		}
	}, true
}

// limitListener accepts at most n connections at once: past them, new
// ones wait in the kernel's queue, and the descriptors stay bounded.
type limitListener struct {
	net.Listener
	sem chan struct{}
}

func newLimitListener(l net.Listener, n int) net.Listener {
	return &limitListener{Listener: l, sem: make(chan struct{}, n)}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

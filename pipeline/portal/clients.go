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
	// DefaultMaxConnsPerAddr is how many connections one address may hold
	// at once: room for an office behind one NAT address (browsers open
	// six a site), not for one client to take the server.
	DefaultMaxConnsPerAddr = 256
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

// DefaultMaxConns is how many connections are served at once by
// default: a third of the descriptors the process may open (a download
// from a local store takes a second one), between 64 and 4,096.
func DefaultMaxConns() int {
	return min(max(openFileLimit()/3, 64), 4096)
}

// limitListener accepts at most n connections at once, and at most perAddr
// from one address: past n, new ones wait in the kernel's queue, so the
// descriptors stay bounded; past perAddr, an address's new connections are
// closed at once, so that one client cannot fill the n.
type limitListener struct {
	net.Listener
	sem     chan struct{}
	perAddr int
	mu      sync.Mutex
	byAddr  map[string]int
}

func newLimitListener(l net.Listener, n, perAddr int) net.Listener {
	return &limitListener{Listener: l, sem: make(chan struct{}, n), perAddr: perAddr, byAddr: map[string]int{}}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		l.sem <- struct{}{}
		c, err := l.Listener.Accept()
		if err != nil {
			<-l.sem
			return nil, err
		}
		host, _, err := net.SplitHostPort(c.RemoteAddr().String())
		if err != nil {
			host = c.RemoteAddr().String()
		}
		l.mu.Lock()
		over := l.perAddr > 0 && l.byAddr[host] >= l.perAddr
		if !over {
			l.byAddr[host]++
		}
		l.mu.Unlock()
		if over {
			c.Close()
			<-l.sem
			continue
		}
		return &limitConn{Conn: c, release: func() {
			l.mu.Lock()
			if l.byAddr[host]--; l.byAddr[host] <= 0 {
				delete(l.byAddr, host)
			}
			l.mu.Unlock()
			<-l.sem
		}}, nil
	}
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

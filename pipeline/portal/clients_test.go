package portal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// TestSlowBodyCut: a request body trickled a byte every two seconds is
// cut off once its grace is over, instead of holding the connection.
func TestSlowBodyCut(t *testing.T) {
	rateGrace = time.Second
	t.Cleanup(func() { rateGrace = rateGraceDefault })
	// with the access log aceo serve keeps by default, whose writer must
	// let the deadlines through
	_, ts := newServer(t, copyStore(t), func(c *Config) { c.AccessLog = io.Discard })
	// a page that reads the body (the upload form) and one that does not,
	// whose body the server reads after answering
	for _, path := range []string{"/en/upload/x", "/en/"} {
		t.Run(path, func(t *testing.T) { slowBody(t, ts.URL, path) })
	}
}

func slowBody(t *testing.T, url, path string) {
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\n", path)
	start := time.Now()
	closed := make(chan time.Duration, 1)
	go func() {
		br := bufio.NewReader(conn)
		for {
			if _, err := br.ReadByte(); err != nil {
				closed <- time.Since(start)
				return
			}
		}
	}()
	for i := 0; i < 20; i++ {
		select {
		case d := <-closed:
			if d > 8*time.Second {
				t.Fatalf("held for %v", d)
			}
			return
		case <-time.After(2 * time.Second):
			conn.Write([]byte("x"))
		}
	}
	t.Fatal("the connection is still open after 40 s of a trickled body")
}

// TestDownloadsPerClient: one address runs at most DownloadsPerClient
// downloads at once; past them, 429 with Retry-After.
func TestDownloadsPerClient(t *testing.T) {
	s := copyStore(t)
	srv, ts := newServer(t, s, nil)
	f := fileOf(t, catalog(t, s), "aceo-sample", "2013", "pdf", "en")
	url := ts.URL + FileURL("aceo-sample", "2013", f.Name)
	req := httptest.NewRequest("GET", url, nil)
	req.RemoteAddr = "127.0.0.1:1"
	var dones []func()
	for i := 0; i < DownloadsPerClient; i++ {
		done, ok := srv.downloads.acquire(req)
		if !ok {
			t.Fatalf("slot %d refused", i)
		}
		dones = append(dones, done)
	}
	resp, _ := get(t, url)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("a fifth download: %d", resp.StatusCode)
	}
	dones[0]()
	if resp, body := get(t, url); resp.StatusCode != 200 || len(body) != f.Size {
		t.Fatalf("after one finished: %d", resp.StatusCode)
	}
}

// TestLimitListener: past n connections, the next is accepted only when
// one closes.
func TestLimitListener(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := newLimitListener(raw, 2, 0)
	defer ln.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for i := 0; i < 3; i++ {
		c, err := net.Dial("tcp", raw.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first := <-accepted
	<-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	case <-time.After(300 * time.Millisecond):
	}
	first.Close()
	select {
	case <-accepted:
	case <-time.After(2 * time.Second):
		t.Fatal("the third connection was not accepted after one closed")
	}
}

// TestLimitPerAddress: one address holds at most perAddr connections; its
// next ones are closed at once, while another address is still served.
func TestLimitPerAddress(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := newLimitListener(raw, 100, 3)
	defer ln.Close()
	accepted := make(chan net.Conn, 10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	dial := func(from string) net.Conn {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
		c, err := d.Dial("tcp", raw.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	for i := 0; i < 3; i++ {
		dial("127.0.0.2")
		<-accepted
	}
	fourth := dial("127.0.0.2")
	fourth.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := fourth.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a fourth connection from one address was not closed: %v", err)
	}
	dial("127.0.0.1")
	select {
	case <-accepted:
	case <-time.After(2 * time.Second):
		t.Fatal("another address was not served")
	}
}

// TestHeaderLimit: the server aceo serve runs refuses a header larger than
// MaxHeaderBytes (a 150 KB Range header) while reading it, and serves the
// next client.
func TestHeaderLimit(t *testing.T) {
	srv, _ := newServer(t, copyStore(t), nil)
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe(ctx, "127.0.0.1:0", time.Second, func(a net.Addr) { addrc <- a }) }()
	defer func() { cancel(); <-done }()
	base := "http://" + (<-addrc).String()
	req, _ := http.NewRequest(http.MethodGet, base+"/en/", nil)
	req.Header.Set("Range", "bytes="+strings.TrimSuffix(strings.Repeat("-1,", 50000), ","))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 150 KB header: %d, want 431", resp.StatusCode)
	}
	resp, err = http.Get(base + "/en/")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("next request: %v %v", resp, err)
	}
	resp.Body.Close()
}

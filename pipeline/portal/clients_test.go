package portal

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestSlowBodyCut: a request body trickled a byte every two seconds is
// cut off once its grace is over, instead of holding the connection.
func TestSlowBodyCut(t *testing.T) {
	rateGrace = time.Second
	t.Cleanup(func() { rateGrace = rateGraceDefault })
	_, ts := newServer(t, copyStore(t), nil)
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /en/upload/x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\n")
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
	ln := newLimitListener(raw, 2)
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

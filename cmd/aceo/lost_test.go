package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
)

// lossyProxy forwards requests to an S3 endpoint; while drop is above
// zero, a PUT of the catalogue is applied by the server but its response
// never reaches the client: the connection is closed instead. After such
// a loss, when down is set, no request goes through any more (the
// network is gone).
type lossyProxy struct {
	upstream string
	drop     atomic.Int32
	dropped  atomic.Int32
	down     atomic.Bool
	isDown   atomic.Bool
}

func (p *lossyProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.isDown.Load() {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme, out.URL.Host = "http", p.upstream
	out.Host = r.Host // the request is signed for the proxy's address
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/"+release.CatalogKey) && p.drop.Load() > 0 {
		p.drop.Add(-1)
		p.dropped.Add(1)
		p.isDown.Store(p.down.Load())
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close() // applied, but the answer is lost
		}
		return
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// TestPublishAfterLostResponse, on MinIO and SeaweedFS: the catalogue update of a publish is
// applied but its answer is lost. Publishing the same build under the same
// name again reports success ("already released"), and the catalogue holds
// the release once; another build under that name is still refused.
func TestPublishAfterLostResponse(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			srv.Env(t)
			bucket := srv.NewBucket(t)
			direct := srv.URL(bucket, "")
			must(t)(aceo(t, direct, "store", "setup"))
			id := releaseBuild(t, direct)

			proxy := &lossyProxy{upstream: srv.Endpoint}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			hs := &http.Server{Handler: proxy}
			go hs.Serve(ln)
			defer hs.Close()
			lossy := "s3://" + bucket + "?endpoint=" + ln.Addr().String() + "&tls=false&region=us-east-1"

			// the answer to the catalogue update is lost and the network goes
			// down: the command fails
			proxy.drop.Store(1)
			proxy.down.Store(true)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			var stdout, stderr bytes.Buffer
			err = runContext(ctx, []string{"aceo", "--store", lossy, "publish", "policy-study-sample", id, "--release", "2013"}, &stdout, &stderr)
			cancel()
			proxy.down.Store(false)
			proxy.isDown.Store(false)
			if err == nil {
				t.Fatalf("publish succeeded though every answer was lost:\n%s", stdout.String())
			}
			if proxy.dropped.Load() == 0 {
				t.Fatal("no catalogue update went through the proxy")
			}
			// yet the update was applied
			cat, _, err := release.ReadCatalog(context.Background(), openStore(t, direct))
			if err != nil || cat.Find("policy-study-sample", "2013") == nil {
				t.Fatalf("the lost update was not applied (%v); the test shows nothing", err)
			}
			// the editor runs it again
			out, err := aceo(t, direct, "publish", "policy-study-sample", id, "--release", "2013")
			if err != nil || !strings.Contains(out, "already released policy-study-sample/2013 (build "+id) {
				t.Fatalf("publishing again after a lost answer: %v\n%s", err, out)
			}
			// one answer lost, the network still up: publish reads the catalogue
			// again, finds its release there, and succeeds
			proxy.drop.Store(1)
			out, err = aceo(t, lossy, "publish", "policy-study-sample", id, "--release", "2013-second")
			if err != nil || !strings.Contains(out, "released policy-study-sample/2013-second") || proxy.dropped.Load() != 2 {
				t.Fatalf("publish with one lost answer: %v\n%s", err, out)
			}
			cat, _, _ = release.ReadCatalog(context.Background(), openStore(t, direct))
			n := 0
			for _, r := range cat.Releases {
				if r.Publication == "policy-study-sample" && strings.HasPrefix(r.Name, "2013") {
					n++
				}
			}
			if n != 2 {
				t.Errorf("the catalogue holds %d releases, want 2 (each once)", n)
			}
			// a different build under a used name is still refused
			other := releaseBuild(t, direct)
			if other == id {
				t.Fatal("the second build has the same id")
			}
			if _, err := aceo(t, direct, "publish", "policy-study-sample", other, "--release", "2013"); err == nil || !strings.Contains(err.Error(), "cannot be overwritten") {
				t.Errorf("another build under a used name: %v", err)
			}
		})
	}
}

// openStore opens a store for the test's checks.
func openStore(t *testing.T, url string) store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

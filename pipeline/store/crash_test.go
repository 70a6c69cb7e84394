package store_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/miniotest"
	"github.com/aceo-project/aceo/pipeline/store/seaweedtest"
	"github.com/aceo-project/aceo/pipeline/store/testbin"
)

// slowBody lets an upload through slowly, so that the server can be
// killed while it is in flight.
type slowBody struct{ r io.ReadCloser }

func (b slowBody) Read(p []byte) (int, error) {
	if len(p) > 64<<10 {
		p = p[:64<<10]
	}
	time.Sleep(5 * time.Millisecond)
	return b.r.Read(p)
}
func (b slowBody) Close() error { return b.r.Close() }

type slowTransport struct{}

func (slowTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Method == http.MethodPut {
		req.Body = slowBody{req.Body}
	}
	return http.DefaultTransport.RoundTrip(req)
}

// restartable is a test server that can be killed and started again.
type restartable interface {
	Stop()
	Restart() error
}

// TestServerDiesDuringUpload kills the server (MinIO, SeaweedFS) in the
// middle of a create-only upload: the write fails, no partial object is
// visible after a restart, and the retry succeeds with the right content.
func TestServerDiesDuringUpload(t *testing.T) {
	t.Run("minio", func(t *testing.T) {
		srv, err := miniotest.Start(t.TempDir())
		if err != nil {
			t.Fatalf("MinIO is required for this test: %v", err)
		}
		defer srv.Stop()
		serverDiesDuringUpload(t, &srv.S3, srv)
	})
	t.Run("seaweedfs", func(t *testing.T) {
		srv, err := seaweedtest.Start(t.TempDir())
		if err != nil {
			t.Fatalf("SeaweedFS is required for this test: %v", err)
		}
		defer srv.Stop()
		serverDiesDuringUpload(t, &srv.S3, srv)
	})
}

func serverDiesDuringUpload(t *testing.T, srv *testbin.S3, proc restartable) {
	srv.Env(t)
	bucket := srv.NewBucket(t)
	u, _ := url.Parse(srv.URL(bucket, ""))
	ctx := context.Background()
	s, err := store.OpenS3With(ctx, u, slowTransport{})
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("draft text "), 8<<20/11) // 8 MB: about 0.6 s through the slow transport
	rand.New(rand.NewSource(1)).Read(data[:1024])
	key := "drafts/p/datasets/big/20131001T090000Z-0123456789ab.csv"

	killed := make(chan struct{})
	go func() {
		time.Sleep(150 * time.Millisecond)
		proc.Stop()
		close(killed)
	}()
	_, err = s.Put(ctx, key, bytes.NewReader(data), int64(len(data)), store.PutOptions{CreateOnly: true})
	<-killed
	if err == nil {
		t.Fatal("the upload succeeded although the server was killed during it")
	}
	if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "cannot reach") {
		t.Errorf("not one clear line: %q", err)
	}
	t.Log(err)
	if err := proc.Restart(); err != nil {
		t.Fatal(err)
	}
	fast, _ := store.Open(ctx, srv.URL(bucket, ""))
	if _, err := fast.Stat(ctx, key); !errors.Is(err, store.ErrNotExist) {
		t.Fatalf("after the crash the revision is visible: %v", err)
	}
	page, _, err := fast.List(ctx, store.ListOptions{Prefix: "drafts/"})
	if err != nil || len(page) != 0 {
		t.Fatalf("partial objects listed: %v %v", page, err)
	}
	if _, err := fast.Put(ctx, key, bytes.NewReader(data), int64(len(data)), store.PutOptions{CreateOnly: true}); err != nil {
		t.Fatalf("retry after restart: %v", err)
	}
	rc, _, err := fast.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back after retry: %v", err)
	}
}

package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
	"github.com/aceo-project/aceo/pipeline/store/testbin"
)

// toS3 copies the fixture store into a new bucket of srv, opens
// published/ to the public as aceo store setup does, and returns the
// bucket's URL.
func toS3(t *testing.T, srv *testbin.S3) string {
	ctx := context.Background()
	srv.Env(t)
	url := srv.URL(srv.NewBucket(t), "")
	dst, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	src := copyStore(t)
	err = store.ListAll(ctx, src, "", func(in store.Info) error {
		rc, _, err := src.Get(ctx, in.Key)
		if err != nil {
			return err
		}
		defer rc.Close()
		_, err = dst.Put(ctx, in.Key, rc, in.Size, store.PutOptions{Meta: in.Meta})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := dst.(store.Roles).PublishPublicly(ctx, layout.Public); err != nil {
		t.Fatal(err)
	}
	return url
}

// TestS3Anonymous serves the catalogue from MinIO and from SeaweedFS
// with no credentials at all: the public pages and downloads (with
// ranges) need nothing but anonymous reads of published/.
func TestS3Anonymous(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) { testAnonymous(t, srv) })
	}
}

func testAnonymous(t *testing.T, srv *testbin.S3) {
	url := toS3(t, srv)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	anon, err := store.Open(context.Background(), url+"&anonymous=true")
	if err != nil {
		t.Fatal(err)
	}
	// these credentials cannot write
	if _, err := anon.Put(context.Background(), "published/x.txt", strings.NewReader("x"), 1, store.PutOptions{}); err == nil {
		t.Fatal("an anonymous client wrote to the store")
	}
	_, ts := newServer(t, anon, func(c *Config) { c.Uploads, c.InviteKey = nil, nil })
	resp, body := get(t, ts.URL+"/zh/")
	if resp.StatusCode != 200 || !strings.Contains(body, "中国—东盟环境展望") {
		t.Fatalf("home page from MinIO: %d", resp.StatusCode)
	}
	c := catalog(t, anon)
	f := fileOf(t, c, "aceo-sample", "2013", "pdf", "en")
	furl := ts.URL + FileURL("aceo-sample", "2013", f.Name)
	resp, whole := get(t, furl)
	h := sha256.Sum256([]byte(whole))
	if resp.StatusCode != 200 || hex.EncodeToString(h[:]) != f.SHA256 {
		t.Fatalf("download from MinIO: %d", resp.StatusCode)
	}
	part, pbody := get(t, furl, "Range", "bytes=2000-2999")
	if part.StatusCode != http.StatusPartialContent || pbody != whole[2000:3000] {
		t.Errorf("range from MinIO: %d, %d bytes", part.StatusCode, len(pbody))
	}
	if resp, _ := get(t, ts.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	// the search index and the chapters' pages, read anonymously too
	if _, body := get(t, ts.URL+"/zh/search?q=%E7%BA%A2%E6%A0%91%E6%9E%97"); len(hitRE.FindAllString(body, -1)) == 0 {
		t.Error("search from MinIO: nothing found")
	}
	if resp, body := get(t, ts.URL+"/en/publications/aceo-sample/coasts-seas/"); resp.StatusCode != 200 || !strings.Contains(body, `<article class="chapter">`) {
		t.Errorf("chapter page from MinIO: %d", resp.StatusCode)
	}
}

// TestS3Presigned: with --presign, a download is a redirect to a
// short-lived URL of the store (MinIO, SeaweedFS), which gives the file
// under its name.
func TestS3Presigned(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) { testPresigned(t, srv) })
	}
}

func testPresigned(t *testing.T, srv *testbin.S3) {
	url := toS3(t, srv)
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	_, ts := newServer(t, s, func(c *Config) { c.Presign = 5 * time.Minute; c.Uploads, c.InviteKey = nil, nil })
	c := catalog(t, s)
	f := fileOf(t, c, "aceo-sample", "2013", "pdf", "zh")
	resp, _ := get(t, ts.URL+FileURL("aceo-sample", "2013", f.Name))
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.Contains(loc, "X-Amz-Expires=300") || !strings.Contains(loc, "X-Amz-Signature=") {
		t.Fatalf("presigned: %d %s", resp.StatusCode, loc)
	}
	r, err := http.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	data, _ := io.ReadAll(r.Body)
	h := sha256.Sum256(data)
	if r.StatusCode != 200 || hex.EncodeToString(h[:]) != f.SHA256 || !strings.Contains(r.Header.Get("Content-Disposition"), `filename="aceo-sample-zh.pdf"`) {
		t.Errorf("the presigned URL: %d, %d bytes, %q", r.StatusCode, len(data), r.Header.Get("Content-Disposition"))
	}
	// the catalogue refreshes through the S3 store too
	if resp, _ := get(t, ts.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
}

package portal

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/build/buildtest"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/sample"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
	"github.com/aceo-project/aceo/templates"
)

// testKey signs the invitations of the tests.
var testKey = []byte("test-invitation-key-0123456789abcdef")

var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureErr  error
)

// published is a local store, made once per test run, holding the sample
// Outlook released as 2013, and the sample policy study released as 2013
// and again as 2013-rev1, then 2013 withdrawn.
func published(t testing.TB) string {
	t.Helper()
	fixtureOnce.Do(func() {
		fixtureDir, fixtureErr = os.MkdirTemp("", "aceo-portal-*")
		if fixtureErr != nil {
			return
		}
		fixtureErr = makeFixture(fixtureDir)
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return fixtureDir
}

func makeFixture(dir string) error {
	ctx := context.Background()
	s, err := store.OpenDir(dir)
	if err != nil {
		return err
	}
	r := &drafts.Repo{Store: s, Now: sample.Clock(time.Date(2013, 11, 20, 9, 0, 0, 0, time.UTC))}
	root := filepath.Join("..", "..")
	for _, id := range []string{"policy-study-sample", "aceo-sample"} {
		if err := sample.Submit(ctx, r, root, id); err != nil {
			return err
		}
	}
	if _, err := buildtest.Release(ctx, r, "policy-study-sample", "2013", "Editor A"); err != nil {
		return err
	}
	if _, err := buildtest.Release(ctx, r, "aceo-sample", "2013", "Editor B"); err != nil {
		return err
	}
	// a corrected study: a new revision of one chapter, accepted, released
	data, err := os.ReadFile(filepath.Join(root, "chapters", "policy-study-sample", "en", "schemes.md"))
	if err != nil {
		return err
	}
	data = append(data, []byte("\nThis release corrects the comparison of the schemes.\n")...)
	if _, err := intake.SubmitChapter(ctx, r, "schemes.md", data, "Author"); err != nil {
		return err
	}
	if _, err := r.Review(ctx, "policy-study-sample", "schemes", "en", "latest", drafts.Accept, "", "Editor A"); err != nil {
		return err
	}
	if _, err := buildtest.ReleaseLabelled(ctx, r, "policy-study-sample", "2013-rev1", publication.Text{"en": "Corrected edition", "zh": "修订版"}, "Editor A"); err != nil {
		return err
	}
	return release.Withdraw(ctx, s, r.Time(), "policy-study-sample", "2013", publication.Text{"en": "The comparison of the schemes in chapter 2 was wrong; use 2013-rev1.", "zh": "第 2 章对各制度的比较有误；请使用 2013-rev1。"}, "Editor A")
}

// copyStore gives a test its own copy of the fixture store.
func copyStore(t testing.TB) *store.Dir {
	t.Helper()
	src := published(t)
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = io.Copy(out, in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.OpenDir(dst)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newServer serves a store; uploads go to the same store.
func newServer(t testing.TB, s store.Store, mod func(*Config)) (*Server, *httptest.Server) {
	t.Helper()
	cfg := Config{Store: s, Templates: templates.FS, Uploads: intake.Desk{Repo: &drafts.Repo{Store: s}}, InviteKey: testKey}
	if mod != nil {
		mod(&cfg)
	}
	srv, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return srv, ts
}

func get(t testing.TB, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestMain(m *testing.M) {
	s3test.Main(&cleanup{m})
}

// cleanup removes the fixture after the tests, before s3test.Main stops
// the servers and exits.
type cleanup struct{ m *testing.M }

func (c *cleanup) Run() int {
	code := c.m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	return code
}

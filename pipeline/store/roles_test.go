package store_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
	"github.com/aceo-project/aceo/pipeline/store/testbin"
)

// as opens the store with the given credentials (empty: anonymous).
func as(t *testing.T, url, key, secret, token string) store.Store {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", key)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	t.Setenv("AWS_SESSION_TOKEN", token)
	t.Setenv("HOME", t.TempDir())
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func canPut(s store.Store, key string) error {
	_, err := s.Put(context.Background(), key, strings.NewReader("x"), 1, store.PutOptions{CreateOnly: true})
	return err
}

func canGet(s store.Store, key string) error {
	rc, _, err := s.Get(context.Background(), key)
	if err == nil {
		io.Copy(io.Discard, rc)
		rc.Close()
	}
	return err
}

// TestRoles: the store itself enforces what authors, editors and the
// public may do, through session policies on temporary credentials and a
// bucket policy.
func TestRoles(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) { testRoles(t, srv) })
	}
}

func testRoles(t *testing.T, srv *testbin.S3) {
	ctx := context.Background()
	bucket := srv.NewBucket(t)
	for _, prefix := range []string{"", "aceo"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			url := srv.URL(bucket, prefix)
			root := as(t, url, srv.AccessKey, srv.SecretKey, "")
			for _, k := range []string{"config/demo/publication.yaml", "reviews/demo/r.json", "published/demo/2013/demo-en.pdf", "drafts/other/chapters/c/en/x.md"} {
				if err := canPut(root, k); err != nil {
					t.Fatal(err)
				}
			}
			roles := root.(store.Roles)
			aw, ar, _ := layout.Grant(layout.RoleAuthor, "demo")
			a, err := roles.Credentials(ctx, store.Grant{Write: aw, Read: ar}, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			ew, er, _ := layout.Grant(layout.RoleEditor, "")
			e, err := roles.Credentials(ctx, store.Grant{Write: ew, Read: er}, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if err := roles.PublishPublicly(ctx, layout.Public); err != nil {
				t.Fatal(err)
			}

			author := as(t, url, a.AccessKeyID, a.SecretAccessKey, a.SessionToken)
			if err := canPut(author, "drafts/demo/chapters/intro/en/aaaa.md"); err != nil {
				t.Errorf("author cannot add a revision: %v", err)
			}
			if err := canGet(author, "config/demo/publication.yaml"); err != nil {
				t.Errorf("author cannot read the publication: %v", err)
			}
			page, _, err := author.List(ctx, store.ListOptions{Prefix: "drafts/demo/"})
			if err != nil || len(page) != 1 {
				t.Errorf("author cannot list own drafts: %v %v", page, err)
			}
			for _, k := range []string{"config/demo/publication.yaml", "reviews/demo/x.json", "builds/demo/b/x.pdf", "published/demo/x.pdf", "drafts/other/chapters/c/en/y.md"} {
				if err := canPut(author, k); err == nil || !strings.Contains(err.Error(), "access denied") {
					t.Errorf("author wrote %s: %v", k, err)
				}
			}
			for _, k := range []string{"reviews/demo/r.json", "drafts/other/chapters/c/en/x.md"} {
				if err := canGet(author, k); err == nil {
					t.Errorf("author read %s", k)
				}
			}
			// a revision cannot be replaced through aceo: create-only
			if err := canPut(author, "drafts/demo/chapters/intro/en/aaaa.md"); !errors.Is(err, store.ErrExist) {
				t.Errorf("author replaced a revision: %v", err)
			}

			editor := as(t, url, e.AccessKeyID, e.SecretAccessKey, e.SessionToken)
			for _, k := range []string{"config/demo/x.yaml", "reviews/demo/y.json", "builds/demo/b/y.pdf", "published/demo/y.pdf"} {
				if err := canPut(editor, k); err != nil {
					t.Errorf("editor cannot write %s: %v", k, err)
				}
			}

			anon := as(t, url, "", "", "")
			if err := canGet(anon, "published/demo/2013/demo-en.pdf"); err != nil {
				t.Errorf("public cannot read published/: %v", err)
			}
			for _, k := range []string{"drafts/other/chapters/c/en/x.md", "config/demo/publication.yaml", "reviews/demo/r.json"} {
				if err := canGet(anon, k); err == nil {
					t.Errorf("public read %s", k)
				}
			}
			if err := canPut(anon, "published/demo/z.pdf"); err == nil {
				t.Error("public wrote to published/")
			}
		})
	}
}

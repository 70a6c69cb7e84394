package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/release"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
)

// releaseBuild puts the policy study into the store, accepts it and
// builds it; it returns the build id.
func releaseBuild(t *testing.T, url string) string {
	t.Helper()
	dir := "../../chapters/policy-study-sample"
	pushPublication(t, url, dir)
	drafts, _ := filepath.Glob(dir + "/*/*.md")
	must(t)(aceo(t, url, append([]string{"submit", "chapter"}, drafts...)...))
	for _, ch := range []string{"introduction", "schemes", "recommendations"} {
		for _, lang := range []string{"en", "zh"} {
			must(t)(aceo(t, url, "review", "accept", "--lang", lang, "policy-study-sample", ch, "latest"))
		}
	}
	out := must(t)(aceo(t, url, "build", "--out", t.TempDir(), "policy-study-sample"))
	_, rest, _ := strings.Cut(out, "build ")
	id, _, _ := strings.Cut(rest, " ")
	return id
}

// TestPublishWithdrawDownload, on the local store, MinIO and SeaweedFS
// (with the public policy of aceo store setup): a release build is published, a
// preview build is refused, a release name is never reused, eight editors
// publishing at once all get their release into the catalogue, a release
// is withdrawn with its reason and its files kept, and anyone downloads
// the latest release with its hashes checked; a file changed in the store
// is refused.
func TestPublishWithdrawDownload(t *testing.T) {
	t.Run("dir", func(t *testing.T) {
		root := t.TempDir()
		s, err := store.OpenDir(root)
		if err != nil {
			t.Fatal(err)
		}
		publishFlow(t, "file://"+root, s)
	})
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			srv.Env(t)
			url := srv.URL(srv.NewBucket(t), "")
			must(t)(aceo(t, url, "store", "setup"))
			s, err := store.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			publishFlow(t, url, s)
		})
	}
}

func publishFlow(t *testing.T, url string, s store.Store) {
	ctx := context.Background()
	id := releaseBuild(t, url)
	preview := must(t)(aceo(t, url, "build", "--preview", "--out", t.TempDir(), "policy-study-sample"))
	_, rest, _ := strings.Cut(preview, "build ")
	previewID, _, _ := strings.Cut(rest, " ")
	if _, err := aceo(t, url, "publish", "policy-study-sample", previewID, "--release", "draft"); err == nil || !strings.Contains(err.Error(), "is a preview build") {
		t.Fatalf("publishing a preview: %v", err)
	}
	out := must(t)(aceo(t, url, "publish", "policy-study-sample", id, "--release", "2013", "--by", "Editor A", "--label", "First edition", "--label-zh", "第一版"))
	if !strings.Contains(out, "released policy-study-sample/2013") || !strings.Contains(out, "manifest.json") {
		t.Fatalf("publish: %s", out)
	}
	if out, err := aceo(t, url, "publish", "policy-study-sample", id, "--release", "2013"); err != nil || !strings.Contains(out, "already released policy-study-sample/2013") {
		t.Fatalf("publishing the same build under the same name again: %v\n%s", err, out)
	}
	if _, err := aceo(t, url, "publish", "policy-study-sample", id, "--release", "Bad Name"); err == nil || !strings.Contains(err.Error(), "is not valid") {
		t.Fatalf("bad name: %v", err)
	}

	// eight editors publish at once, each with their own connection to the
	// store (through the package: urfave/cli keeps global flag state, so
	// one process cannot run eight command lines at once)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			st, err := store.Open(ctx, url)
			if err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = release.Publish(ctx, &drafts.Repo{Store: st}, "policy-study-sample", id, fmt.Sprintf("copy-%d", i), nil, "")
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("publisher %d: %v", i, err)
		}
	}
	cat, _, err := release.ReadCatalog(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Releases) != 9 {
		t.Fatalf("%d releases in the catalogue, want 9: no update may be lost", len(cat.Releases))
	}
	r := cat.Find("policy-study-sample", "2013")
	if r == nil || r.Build != id || r.By != "Editor A" || r.Title["zh"] == "" || len(r.Files) != 6 {
		t.Fatalf("release %+v", r)
	}

	// withdraw one: marked with its reason, files kept
	if _, err := aceo(t, url, "withdraw", "policy-study-sample", "copy-7"); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("withdraw without a reason: %v", err)
	}
	if _, err := aceo(t, url, "withdraw", "policy-study-sample", "copy-7", "--reason-zh", "误发"); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("withdraw with a Chinese reason only: %v", err)
	}
	must(t)(aceo(t, url, "withdraw", "policy-study-sample", "copy-7", "--reason", "published by mistake", "--reason-zh", "误发"))
	if _, err := aceo(t, url, "withdraw", "policy-study-sample", "copy-7", "--reason", "again"); err == nil || !strings.Contains(err.Error(), "already withdrawn") {
		t.Fatalf("withdrawing twice: %v", err)
	}
	// the same withdrawal again (a retry after a lost answer) is done
	if _, err := aceo(t, url, "withdraw", "policy-study-sample", "copy-7", "--reason", "published by mistake"); err != nil {
		t.Fatalf("the same withdrawal again: %v", err)
	}
	cat, _, _ = release.ReadCatalog(ctx, s)
	w := cat.Find("policy-study-sample", "copy-7")
	if w.Withdrawn == nil || w.Withdrawn.Reason != "published by mistake" || w.Withdrawn.Reasons["zh"] != "误发" || len(cat.Releases) != 9 {
		t.Fatalf("withdrawn %+v", w)
	}
	if r := cat.Find("policy-study-sample", "2013"); r.Label["en"] != "First edition" || r.Label["zh"] != "第一版" {
		t.Errorf("release label %v", r.Label)
	}
	if _, err := s.Stat(ctx, w.Files[0].Key); err != nil {
		t.Fatalf("a withdrawn release's file is gone: %v", err)
	}

	// anyone downloads, hashes checked
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	dl := t.TempDir()
	out = must(t)(aceo(t, url, "download", "policy-study-sample", "--release", "2013", "--lang", "zh", "--out", dl))
	if !strings.Contains(out, "policy-study-sample-zh.pdf") || strings.Contains(out, "-en.pdf") {
		t.Fatalf("download: %s", out)
	}
	b, _ := os.ReadFile(filepath.Join(dl, "policy-study-sample-zh.pdf"))
	h := sha256.Sum256(b)
	var want string
	for _, f := range r.Files {
		if f.Lang == "zh" && f.Kind == "pdf" {
			want = f.SHA256
		}
	}
	if hex.EncodeToString(h[:]) != want {
		t.Fatal("downloaded file does not match the catalogue")
	}
	out = must(t)(aceo(t, url, "download", "policy-study-sample", "--out", t.TempDir()))
	if strings.Count(out, "checked") != 2 {
		t.Fatalf("latest release: %s", out)
	}
	// a released file changed behind aceo's back is refused
	bad := []byte("%PDF-1.4 not the release")
	if _, err := s.Put(ctx, r.Files[0].Key, bytes.NewReader(bad), int64(len(bad)), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := aceo(t, url, "download", "policy-study-sample", "--release", "2013", "--out", t.TempDir()); err == nil || !strings.Contains(err.Error(), "the catalogue says") {
		t.Fatalf("changed file: %v", err)
	}
}

// TestReindex: a release published before releases had contents files
// and a search index (simulated by taking them out of the catalogue and
// the store) gets them from aceo reindex, byte-identical to those a
// publish writes, because its build is rebuilt exactly; a second run does
// nothing; a build that no longer comes out the same is refused, and
// nothing is added.
func TestReindex(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	url := "file://" + root
	s, err := store.OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	id := releaseBuild(t, url)
	must(t)(aceo(t, url, "publish", "policy-study-sample", id, "--release", "2013"))
	cat, etag, err := release.ReadCatalog(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	published := map[string]string{}
	r := cat.Find("policy-study-sample", "2013")
	var kept []release.File
	for _, f := range r.Files {
		if f.Kind == release.KindContents || f.Kind == release.KindIndex {
			published[f.Name] = f.SHA256
			removeObject(t, root, f.Key)
			continue
		}
		kept = append(kept, f)
	}
	if len(published) != 3 {
		t.Fatalf("published %v", published)
	}
	r.Files = kept
	writeCatalog(t, s, cat, etag)

	out := must(t)(aceo(t, url, "reindex"))
	if !strings.Contains(out, "policy-study-sample/2013: added policy-study-sample-contents-en.json policy-study-sample-contents-zh.json "+release.IndexName) {
		t.Errorf("reindex: %s", out)
	}
	cat, etag, err = release.ReadCatalog(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range cat.Find("policy-study-sample", "2013").Files {
		if f.Kind == release.KindContents || f.Kind == release.KindIndex {
			got[f.Name] = f.SHA256
			if _, err := release.Fetch(ctx, s, f); err != nil {
				t.Error(err)
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(published) {
		t.Errorf("reindexed %v, published %v", got, published)
	}
	if out := must(t)(aceo(t, url, "reindex", "policy-study-sample", "2013")); !strings.Contains(out, "indexed already") {
		t.Errorf("second run: %s", out)
	}

	// a build that does not come out the same: its manifest says another
	// PDF than the one the inputs give
	r = cat.Find("policy-study-sample", "2013")
	r.Files = kept
	writeCatalog(t, s, cat, etag)
	for _, f := range r.Files {
		if f.Kind == release.KindContents || f.Kind == release.KindIndex {
			t.Fatal("not taken out")
		}
	}
	for name := range published {
		removeObject(t, root, release.Prefix("policy-study-sample", "2013")+name)
	}
	mkey := "builds/policy-study-sample/" + id + "/manifest.json"
	rc, _, err := s.Get(ctx, mkey)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(rc)
	rc.Close()
	tampered := strings.Replace(b.String(), published2(t, b.String()), strings.Repeat("0", 64), 1)
	if _, err := s.Put(ctx, mkey, strings.NewReader(tampered), int64(len(tampered)), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = aceo(t, url, "reindex", "policy-study-sample")
	if err == nil || !strings.Contains(err.Error(), "does not come out the same when built again") {
		t.Fatalf("a build that differs: %v", err)
	}
	cat, _, _ = release.ReadCatalog(ctx, s)
	if n := len(cat.Find("policy-study-sample", "2013").Files); n != len(kept) {
		t.Errorf("%d files listed after a refused reindex, want %d", n, len(kept))
	}
}

// removeObject takes an object out of a directory store (the store has
// no delete: this stands for a store written by an older aceo).
func removeObject(t *testing.T, root, key string) {
	t.Helper()
	for _, p := range []string{filepath.Join(root, filepath.FromSlash(key)), filepath.Join(root, ".aceo-store", "meta", filepath.FromSlash(key)+".json")} {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
}

// published2 is the SHA-256 the manifest m gives the English PDF.
func published2(t *testing.T, m string) string {
	t.Helper()
	_, rest, ok := strings.Cut(m, `"name": "policy-study-sample-en.pdf"`)
	if !ok {
		t.Fatal("no English PDF in the manifest")
	}
	_, rest, _ = strings.Cut(rest, `"sha256": "`)
	sum, _, _ := strings.Cut(rest, `"`)
	return sum
}

// writeCatalog replaces the catalogue (a test's stand-in for an older
// aceo's).
func writeCatalog(t *testing.T, s store.Store, cat *release.Catalog, etag string) {
	t.Helper()
	data, err := json.MarshalIndent(cat, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(context.Background(), release.CatalogKey, bytes.NewReader(data), int64(len(data)), store.PutOptions{IfMatch: etag}); err != nil {
		t.Fatal(err)
	}
}

package drafts_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
)

func TestMain(m *testing.M) { s3test.Main(m) }

const pubYAML = `id: demo
kind: policy-study
year: 2013
date: "2013-01-01"
title: {en: Demo, zh: 示例}
chapters: [intro, outlook]
`

func draft(lang, chapter, body string, extra ...string) []byte {
	fm := fmt.Sprintf("---\npublication: demo\nchapter: %s\nlang: %s\ntitle: T\nauthors:\n  - Lin Wei (CAEC, China)\n", chapter, lang)
	for _, e := range extra {
		fm += e + "\n"
	}
	return []byte(fm + "---\n" + body + "\n")
}

// backends runs fn against the directory store and a bucket of each
// real S3 server (MinIO, SeaweedFS).
func backends(t *testing.T, fn func(t *testing.T, r *drafts.Repo)) {
	s3test.Backends(t, func(t *testing.T, s store.Store) { fn(t, repo(s)) })
}

// repo returns a Repo whose clock advances a minute per call.
func repo(s store.Store) *drafts.Repo {
	t0 := time.Date(2013, 10, 1, 9, 0, 0, 0, time.UTC)
	n := 0
	return &drafts.Repo{Store: s, Now: func() time.Time { n++; return t0.Add(time.Duration(n) * time.Minute) }}
}

func TestSubmissions(t *testing.T) {
	backends(t, func(t *testing.T, r *drafts.Repo) {
		ctx := context.Background()
		if _, err := r.PushPublication(ctx, "publication.yaml", []byte(pubYAML)); err != nil {
			t.Fatal(err)
		}
		pubs, err := r.Publications(ctx)
		if err != nil || len(pubs) != 1 || pubs[0].ID != "demo" {
			t.Fatalf("%v %v", pubs, err)
		}
		en1 := draft("en", "intro", "# One\n\nFirst words.")
		res, err := intake.SubmitChapter(ctx, r, "intro.md", en1, "")
		if err != nil || res.Duplicate || res.Author != "Lin Wei (CAEC, China)" || !strings.HasPrefix(res.ID, "2013") {
			t.Fatalf("%+v %v", res, err)
		}
		again, err := intake.SubmitChapter(ctx, r, "copy-of-intro.md", en1, "")
		if err != nil || !again.Duplicate || again.ID != res.ID || !strings.Contains(again.String(), "identical to revision "+res.ID) {
			t.Fatalf("%+v %v", again, err)
		}
		res2, err := intake.SubmitChapter(ctx, r, "intro.md", draft("en", "intro", "# One\n\nBetter words."), "Maria Santos")
		if err != nil || res2.ID == res.ID || res2.Author != "Maria Santos" {
			t.Fatalf("%+v %v", res2, err)
		}
		hist, err := r.History(ctx, "demo", drafts.Chapters, "intro", "en")
		if err != nil || len(hist) != 2 || hist[0].ID != res.ID || hist[1].ID != res2.ID {
			t.Fatalf("%+v %v", hist, err)
		}
		sum := sha256.Sum256(en1)
		if hist[0].SHA256 != hex.EncodeToString(sum[:]) || hist[0].Size != int64(len(en1)) || hist[0].File != "intro.md" {
			t.Fatalf("%+v", hist[0])
		}
		got, err := r.Read(ctx, hist[0])
		if err != nil || !bytes.Equal(got, en1) {
			t.Fatalf("read back: %v", err)
		}
		if rv, err := r.Find(ctx, "demo", drafts.Chapters, "intro", "en", res2.ID[:20]); err != nil || rv.ID != res2.ID {
			t.Fatalf("find by prefix: %+v %v", rv, err)
		}

		// figures
		var buf bytes.Buffer
		png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 4, 3)))
		fig, err := intake.SubmitFigure(ctx, r, "demo", "dir/forest-map.png", buf.Bytes(), "Lin Wei")
		if err != nil || fig.Item != "forest-map" || fig.Ext != ".png" {
			t.Fatalf("%+v %v", fig, err)
		}
		if _, err := intake.SubmitFigure(ctx, r, "demo", "notes.png", []byte("not an image"), ""); err == nil || !strings.Contains(err.Error(), "notes.png: the file is not a PNG or JPEG image") {
			t.Fatalf("bad figure: %v", err)
		}
		dict := []byte("code,name_en,name_zh,unit_en,unit_zh,decimals\nFOR,Forest cover,森林覆盖率,%,%,1\n")
		res3, _, err := intake.SubmitDataset(ctx, r, "demo", "forest.csv", []byte("indicator,country,year,value\nFOR,VNM,2010,44.5\n"), dict, "")
		if err != nil || len(res3) != 2 || res3[1].Item != "forest-indicators" {
			t.Fatalf("%v %v", res3, err)
		}
		if _, _, err := intake.SubmitDataset(ctx, r, "demo", "forest.csv", []byte("indicator,country,year,value\nFOR,XYZ,2010,44.5\n"), dict, ""); err == nil || !strings.Contains(err.Error(), `forest.csv:2:5: unknown country code "XYZ"`) {
			t.Fatalf("invalid dataset: %v", err)
		}
		if _, _, err := intake.SubmitDataset(ctx, r, "demo", "alone.csv", []byte("indicator,country,year,value\n"), nil, ""); err == nil || !strings.Contains(err.Error(), "comes with its indicator dictionary") {
			t.Fatalf("CSV without dictionary: %v", err)
		}
		if _, _, err := intake.SubmitDataset(ctx, r, "demo", "forest.xls", []byte("x"), nil, ""); err == nil || !strings.Contains(err.Error(), "datasets are .xlsx or .csv") {
			t.Fatalf("bad dataset: %v", err)
		}
	})
}

// TestRejections: every rejected draft names file and line, and nothing
// is stored.
func TestRejections(t *testing.T) {
	backends(t, func(t *testing.T, r *drafts.Repo) {
		ctx := context.Background()
		if _, err := r.PushPublication(ctx, "publication.yaml", []byte(pubYAML)); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			data []byte
			want string
		}{
			{"unknown chapter", draft("en", "epilogue", "x"), `x.md:3: publication demo has no chapter "epilogue"; use one of: intro, outlook`},
			{"unknown publication", []byte("---\npublication: nope\nchapter: intro\nlang: en\ntitle: T\nauthors: [A]\n---\nx\n"), `x.md:2: publication "nope" is not in the store`},
			{"bad field", draft("en", "intro", "x", "titel: y"), `x.md:8: unknown field "titel"`},
			{"bad UTF-8", draft("en", "intro", "caf\xe9"), "x.md:9: not valid UTF-8"},
			{"translation without source", draft("zh", "intro", "x"), "does not say what it was translated from"},
			{"too big", draft("en", "intro", strings.Repeat("x", drafts.MaxDraftSize)), "more than the 2097152 allowed"},
		}
		for _, c := range cases {
			if _, err := intake.SubmitChapter(ctx, r, "x.md", c.data, ""); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: got %v, want %q", c.name, err, c.want)
			}
		}
		var keys []string
		store.ListAll(ctx, r.Store, "drafts/", func(in store.Info) error { keys = append(keys, in.Key); return nil })
		if len(keys) != 0 {
			t.Fatalf("rejected drafts stored: %v", keys)
		}
	})
}

func TestReviewAndStatus(t *testing.T) {
	backends(t, func(t *testing.T, r *drafts.Repo) {
		ctx := context.Background()
		if _, err := r.PushPublication(ctx, "publication.yaml", []byte(pubYAML)); err != nil {
			t.Fatal(err)
		}
		en, _ := intake.SubmitChapter(ctx, r, "intro.md", draft("en", "intro", "English."), "")
		st, ready, err := r.Status(ctx, "demo")
		if err != nil || ready || len(st) != 4 {
			t.Fatalf("%+v %v %v", st, ready, err)
		}
		if st[0].Translation != drafts.Source || st[1].Translation != drafts.Missing || st[2].Translation != drafts.Missing {
			t.Fatalf("%+v", st)
		}
		zh, err := intake.SubmitChapter(ctx, r, "intro-zh.md", draft("zh", "intro", "中文。", "translated_from: sha256:"+en.SHA256), "")
		if err != nil {
			t.Fatal(err)
		}
		if st, _, _ = r.Status(ctx, "demo"); st[1].Translation != drafts.Current || st[1].Latest != zh.ID {
			t.Fatalf("after translation: %+v", st[1])
		}
		en2, _ := intake.SubmitChapter(ctx, r, "intro.md", draft("en", "intro", "English, revised."), "")
		if st, _, _ = r.Status(ctx, "demo"); st[1].Translation != drafts.Stale {
			t.Fatalf("after a new English revision: %+v", st[1])
		}
		// reviews: accept the first, accept the second, then reject the second
		for _, step := range []struct{ rev, d string }{{en.ID, drafts.Accept}, {en2.ID, drafts.Accept}, {en2.ID, drafts.Reject}} {
			if _, err := r.Review(ctx, "demo", "intro", "en", step.rev, step.d, "checked", "Editor"); err != nil {
				t.Fatal(err)
			}
		}
		if st, _, _ = r.Status(ctx, "demo"); st[0].Accepted != en.ID {
			t.Fatalf("accepted %q, want %q", st[0].Accepted, en.ID)
		}
		// the latest English revision was rejected: the note is shown, and
		// the translation is judged against the accepted English revision
		// that a release build takes (it was made from it: current)
		if rw := st[0].Review; rw == nil || rw.Decision != drafts.Reject || rw.Note != "checked" || rw.Rev != en2.ID {
			t.Fatalf("review of the latest revision: %+v", rw)
		}
		if st[1].Translation != drafts.Current || st[1].Against != en.ID {
			t.Fatalf("translation judged against %q: %+v, want current against the accepted %s", st[1].Against, st[1], en.ID)
		}
		// a translation of the newer, rejected English draft is stale for
		// the build, which takes the accepted one
		zhNew, _ := intake.SubmitChapter(ctx, r, "intro-zh.md", draft("zh", "intro", "中文，修订。", "translated_from: "+en2.ID), "")
		if st, _, _ = r.Status(ctx, "demo"); st[1].Translation != drafts.Stale || st[1].Latest != zhNew.ID {
			t.Fatalf("translation of a rejected English draft: %+v", st[1])
		}
		if _, err := r.Review(ctx, "demo", "intro", "zh", zhNew.ID, drafts.Reject, "translate the accepted draft", "Editor"); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Review(ctx, "demo", "intro", "en", "19990101T000000Z-000000000000", drafts.Accept, "", ""); err == nil {
			t.Fatal("review of a missing revision accepted")
		}
		if _, err := r.Review(ctx, "demo", "intro", "en", en.ID, "maybe", "", ""); err == nil {
			t.Fatal("unknown decision accepted")
		}
		// make everything ready
		intake.SubmitChapter(ctx, r, "o.md", draft("en", "outlook", "Outlook."), "")
		o, _ := intake.SubmitChapter(ctx, r, "o.md", draft("en", "outlook", "Outlook."), "")
		oz, _ := intake.SubmitChapter(ctx, r, "oz.md", draft("zh", "outlook", "展望。", "translated_from: "+o.ID), "")
		for _, x := range []struct{ ch, lang, rev string }{{"intro", "zh", zh.ID}, {"outlook", "en", o.ID}, {"outlook", "zh", oz.ID}} {
			if _, err := r.Review(ctx, "demo", x.ch, x.lang, x.rev, drafts.Accept, "", ""); err != nil {
				t.Fatal(err)
			}
		}
		st, ready, _ = r.Status(ctx, "demo")
		if !ready || st[3].Translation != drafts.Current {
			t.Fatalf("not ready: %+v", st)
		}
	})
}

// TestTamperedRevision, on MinIO and SeaweedFS: a revision replaced
// behind aceo's back, even with matching metadata, is refused when read.
func TestTamperedRevision(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			srv.Env(t)
			bucket := srv.NewBucket(t)
			s, _ := store.Open(context.Background(), srv.URL(bucket, ""))
			r := repo(s)
			ctx := context.Background()
			r.PushPublication(ctx, "publication.yaml", []byte(pubYAML))
			res, err := intake.SubmitChapter(ctx, r, "intro.md", draft("en", "intro", "Original."), "")
			if err != nil {
				t.Fatal(err)
			}
			// overwrite through the S3 API, as someone with write access could,
			// keeping a consistent checksum in the metadata
			bad := draft("en", "intro", "Forged.")
			sum := sha256.Sum256(bad)
			_, err = s.Put(ctx, res.Key, bytes.NewReader(bad), int64(len(bad)), store.PutOptions{Meta: map[string]string{"submitted": "2013-10-01T09%3A01%3A00Z"}})
			if err != nil {
				t.Fatal(err)
			}
			hist, _ := r.History(ctx, "demo", drafts.Chapters, "intro", "en")
			if len(hist) != 1 || hist[0].SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("%+v", hist)
			}
			if _, err := r.Read(ctx, hist[0]); err == nil || !strings.Contains(err.Error(), "was altered in the store") {
				t.Fatalf("forged revision read: %v", err)
			}
		})
	}
}

// TestAuthorOverwriteKeepsRevision: on a versioned bucket (MinIO,
// SeaweedFS), an author who overwrites a revision through the raw S3 API
// (the policy lets authors put under drafts/) changes nothing aceo reads:
// the revision is still the original.
func TestAuthorOverwriteKeepsRevision(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			srv.Env(t)
			ctx := context.Background()
			bucket := srv.NewBucket(t)
			url := srv.URL(bucket, "")
			rootStore, _ := store.Open(ctx, url)
			if err := rootStore.(store.Versions).EnableVersions(ctx); err != nil {
				t.Fatal(err)
			}
			editor := repo(rootStore)
			editor.PushPublication(ctx, "publication.yaml", []byte(pubYAML))
			aw, ar, _ := layout.Grant(layout.RoleAuthor, "demo")
			v, err := rootStore.(store.Roles).Credentials(ctx, store.Grant{Write: aw, Read: ar}, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			t.Setenv("AWS_ACCESS_KEY_ID", v.AccessKeyID)
			t.Setenv("AWS_SECRET_ACCESS_KEY", v.SecretAccessKey)
			t.Setenv("AWS_SESSION_TOKEN", v.SessionToken)
			authorStore, _ := store.Open(ctx, url)
			author := repo(authorStore)
			original := draft("en", "intro", "Original text.")
			res, err := intake.SubmitChapter(ctx, author, "intro.md", original, "")
			if err != nil {
				t.Fatal(err)
			}
			forged := draft("en", "intro", "Forged text.")
			if _, err := authorStore.Put(ctx, res.Key, bytes.NewReader(forged), int64(len(forged)), store.PutOptions{}); err != nil {
				t.Fatalf("raw overwrite: %v", err)
			}
			hist, _ := editor.History(ctx, "demo", drafts.Chapters, "intro", "en")
			got, err := editor.Read(ctx, hist[0])
			if err != nil || !bytes.Equal(got, original) {
				t.Fatalf("revision after an overwrite: %q %v", got, err)
			}
		})
	}
}

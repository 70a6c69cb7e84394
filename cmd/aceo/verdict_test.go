package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
)

// TestReadOnlyCommandsCreateNothing: validate with no store, and status
// or history on a store directory that does not exist, create no
// directory.
func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	wd, _ := os.Getwd()
	tmp := t.TempDir()
	if err := os.Chdir(tmp); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	draft := filepath.Join(tmp, "draft.md")
	os.WriteFile(draft, []byte("---\npublication: aceo-sample\nchapter: freshwater\nlang: en\ntitle: T\nauthors: [A]\n---\nText.\n"), 0o644)
	var out, errb bytes.Buffer
	err := run([]string{"aceo", "validate", draft}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), `publication "aceo-sample" is not in the store`) {
		t.Fatalf("validate outside a publication with no store: %v", err)
	}
	if _, err := os.Stat(filepath.Join(tmp, "aceo-store")); err == nil {
		t.Fatal("validate created ./aceo-store")
	}
	gone := filepath.Join(tmp, "nonexistent", "x")
	if _, err := aceo(t, "file://"+gone, "status", "aceo-sample"); err == nil {
		t.Fatal("status of a store that does not exist succeeded")
	}
	if _, err := aceo(t, "file://"+gone, "history", "aceo-sample", "freshwater"); err == nil {
		t.Fatal("history of a store that does not exist succeeded")
	}
	if _, err := os.Stat(filepath.Join(tmp, "nonexistent")); err == nil {
		t.Fatal("a read-only command created the store directory")
	}
}

// TestValidateInPublicationDir: a draft inside a publication directory is
// checked against it, with no store, and its errors are the build's:
// cross-references, datasets and fields; --json gives the verdict.
func TestValidateInPublicationDir(t *testing.T) {
	dir := t.TempDir()
	pub := copySample(t, dir)
	file := filepath.Join(pub, "en", "03-freshwater.md")
	data, _ := os.ReadFile(file)
	os.WriteFile(file, append(data, "\nSee @tbl:nope.\n\n```aceo-table\ndataset: freshwater\nindicator: WATER_ACCESS\ncolums: [a]\n```\n"...), 0o644)
	var out, errb bytes.Buffer
	err := run([]string{"aceo", "--store", "file://" + filepath.Join(dir, "none"), "validate", "--json", file}, &out, &errb)
	if err == nil {
		t.Fatal("validate accepted a broken draft")
	}
	for _, want := range []string{`reference to missing label \"tbl:nope\"`, `unknown field \"colums\"`, `"file": "` + file + `"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--json lacks %s:\n%s", want, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "none")); err == nil {
		t.Fatal("validate created the store")
	}
}

// copySample copies the sample publication and its datasets under dir and
// returns the publication directory.
func copySample(t *testing.T, dir string) string {
	t.Helper()
	for _, d := range []string{"chapters/aceo-sample", "datasets/aceo-sample", "datasets/action-plan-2011-2013"} {
		from := filepath.Join("..", "..", d)
		err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(from, p)
			to := filepath.Join(dir, d, rel)
			if info.IsDir() {
				return os.MkdirAll(to, 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(to, b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "chapters", "aceo-sample")
}

// TestSubmitJudgedInContext: submit refuses what validate refuses (a
// reference to a label no stored chapter has, once every chapter is
// there), stores nothing, and store builds name revisions by the file
// the author submitted, not by their 64-hex keys.
func TestSubmitJudgedInContext(t *testing.T) {
	s := "file://" + t.TempDir()
	dir := "../../chapters/policy-study-sample"
	pushPublication(t, s, dir)
	en, _ := filepath.Glob(dir + "/en/*.md")
	must(t)(aceo(t, s, append([]string{"submit", "chapter"}, en...)...))
	tmp := t.TempDir()
	bad := filepath.Join(tmp, filepath.Base(en[0]))
	data, _ := os.ReadFile(en[0])
	os.WriteFile(bad, append(data, "\nSee @tbl:nowhere.\n"...), 0o644)
	if _, err := aceo(t, s, "validate", bad); err == nil || !strings.Contains(err.Error(), `missing label "tbl:nowhere"`) {
		t.Fatalf("validate: %v", err)
	}
	if _, err := aceo(t, s, "submit", "chapter", bad); err == nil || !strings.Contains(err.Error(), `missing label "tbl:nowhere"`) || !strings.Contains(err.Error(), bad) {
		t.Fatalf("submit: %v", err)
	}
	// messages of store builds name a revision as its author knows it
	zh, _ := filepath.Glob(dir + "/zh/*.md")
	must(t)(aceo(t, s, append([]string{"submit", "chapter"}, zh...)...))
	changed := filepath.Join(tmp, "changed.md")
	os.WriteFile(changed, append(data, "\nA new paragraph.\n"...), 0o644)
	must(t)(aceo(t, s, "submit", "chapter", changed))
	out := must(t)(aceo(t, s, "build", "--preview", "--json", "--out", t.TempDir(), "policy-study-sample"))
	if !strings.Contains(out, "(zh), revision ") || !strings.Contains(out, "submitted as "+filepath.Base(en[0])) || strings.Contains(out, "drafts/policy-study-sample/chapters/") {
		t.Fatalf("the stale translation is not named by its submission:\n%s", out)
	}
}

// TestHistoryLanguage: history, get and review refuse a language the
// publication lacks, listing its languages, and suggest a chapter id.
func TestHistoryLanguage(t *testing.T) {
	s := "file://" + t.TempDir()
	must(t)(aceo(t, s, "publication", "push", "../../chapters/aceo-sample/publication.yaml"))
	if _, err := aceo(t, s, "history", "--lang", "fr", "aceo-sample", "freshwater"); err == nil || !strings.Contains(err.Error(), "use en or zh") {
		t.Fatalf("history --lang fr: %v", err)
	}
	if _, err := aceo(t, s, "history", "aceo-sample", "freshwatr"); err == nil || !strings.Contains(err.Error(), `did you mean "freshwater"`) {
		t.Fatalf("history freshwatr: %v", err)
	}
	if _, err := aceo(t, s, "build", "--lang", "EN", "aceo-sample"); err == nil || !strings.Contains(err.Error(), "use en or zh") {
		t.Fatalf("build --lang EN: %v", err)
	}
}

// TestInternalErrorExit: a panic in a command is recovered at the
// boundary, reported as an internal error naming the command, and exits 3.
func TestInternalErrorExit(t *testing.T) {
	app := &cli.App{Name: "aceo", Writer: &bytes.Buffer{}, ErrWriter: &bytes.Buffer{}, ExitErrHandler: func(*cli.Context, error) {},
		Commands: []*cli.Command{{Name: "boom", Action: func(*cli.Context) error {
			var m map[string]int
			m["x"]++ // a nil map: a bug
			return nil
		}}}}
	err := runApp(t.Context(), app, []string{"aceo", "boom", "draft.md"})
	var ie *diag.InternalError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "internal error") || !strings.Contains(err.Error(), "while processing aceo boom draft.md") || !strings.Contains(err.Error(), "please report it") {
		t.Fatalf("got %v", err)
	}
	if exitCode(err) != 3 || exitCode(errors.New("x")) != 1 {
		t.Fatal("exit codes")
	}
}

// TestStoreSetupCreatesBucket: aceo store setup on a server without the
// bucket creates it, then configures it, naming the server (MinIO and
// SeaweedFS) and marking each line ok or NOT.
func TestStoreSetupCreatesBucket(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			srv.Env(t)
			bucket := "fresh-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
			url := srv.URL(bucket, "")
			out, err := aceo(t, url, "store", "setup")
			product := s3test.Product(name)
			if err != nil || !strings.Contains(out, "ok  bucket created") || !strings.Contains(out, "ok  conditional writes honoured") || !strings.Contains(out, "ok  server: "+product) {
				t.Fatalf("setup: %v\n%s", err, out)
			}
			if ok, err := srv.Client().BucketExists(t.Context(), bucket); err != nil || !ok {
				t.Fatalf("bucket not there: %v", err)
			}
			out = must(t)(aceo(t, url, "store", "setup"))
			if strings.Contains(out, "bucket created") {
				t.Fatal("setup created the bucket twice")
			}
			if name == "seaweedfs" && !strings.Contains(out, "NOT changes: SeaweedFS has no S3 bucket notifications") {
				t.Errorf("setup on SeaweedFS says nothing of notifications:\n%s", out)
			}
		})
	}
	if _, err := aceo(t, "file://"+t.TempDir(), "store", "setup"); err == nil || !strings.Contains(err.Error(), "needs no setup") {
		t.Errorf("setup of the local store: %v", err)
	}
}

// TestStatusAgreesWithReleaseBuild: release_ready is true exactly when a
// release build succeeds. Every chapter accepted is not enough: here the
// accepted introduction refers to a label that the accepted revision of
// another chapter no longer has, so status says not ready, like the build.
func TestStatusAgreesWithReleaseBuild(t *testing.T) {
	s := "file://" + t.TempDir()
	src := "../../chapters/policy-study-sample"
	dir := t.TempDir()
	for _, sub := range []string{"en", "zh"} {
		os.MkdirAll(filepath.Join(dir, sub), 0o755)
		files, _ := filepath.Glob(filepath.Join(src, sub, "*.md"))
		for _, f := range files {
			data, _ := os.ReadFile(f)
			os.WriteFile(filepath.Join(dir, sub, filepath.Base(f)), data, 0o644)
		}
	}
	schemes := filepath.Join(dir, "en", "schemes.md")
	orig, _ := os.ReadFile(schemes)
	labelled := bytes.Replace(orig, []byte("\n# "), []byte("\n# Labelled {#sec:labelled}\n\nText.\n\n# "), 1)
	os.WriteFile(schemes, labelled, 0o644)
	intro := filepath.Join(dir, "en", "introduction.md")
	data, _ := os.ReadFile(intro)
	os.WriteFile(intro, append(data, "\nSee @sec:labelled.\n"...), 0o644)
	pushPublication(t, s, src)
	en, _ := filepath.Glob(filepath.Join(dir, "en", "*.md"))
	zh, _ := filepath.Glob(filepath.Join(dir, "zh", "*.md"))
	must(t)(aceo(t, s, append([]string{"submit", "chapter"}, en...)...))
	must(t)(aceo(t, s, append([]string{"submit", "chapter"}, zh...)...))
	acceptAll := func() {
		for _, ch := range []string{"introduction", "schemes", "recommendations"} {
			for _, l := range []string{"en", "zh"} {
				must(t)(aceo(t, s, "review", "accept", "--lang", l, "policy-study-sample", ch, "latest"))
			}
		}
	}
	acceptAll()
	agree := func(want bool) {
		t.Helper()
		out, serr := aceo(t, s, "status", "--json", "policy-study-sample")
		ready := strings.Contains(out, `"release_ready": true`)
		_, berr := aceo(t, s, "build", "--out", t.TempDir(), "policy-study-sample")
		if ready != want || (serr == nil) != want || (berr == nil) != want {
			t.Fatalf("release_ready=%v (status error %v), release build error %v; want ready=%v\n%s", ready, serr, berr, want, out)
		}
	}
	agree(true)
	// the label goes from schemes; the introduction still refers to it
	os.WriteFile(schemes, orig, 0o644)
	must(t)(aceo(t, s, "submit", "chapter", schemes))
	acceptAll()
	agree(false)
	// the label is back, in a new revision: ready again
	os.WriteFile(schemes, append(labelled, "\nOne more sentence.\n"...), 0o644)
	must(t)(aceo(t, s, "submit", "chapter", schemes))
	acceptAll()
	agree(true)
	// an editor returns the only accepted revision of a chapter
	must(t)(aceo(t, s, "review", "reject", "--lang", "zh", "--note", "redo the table", "policy-study-sample", "recommendations", "latest"))
	agree(false)
	acceptAll()
	agree(true)
	// the publication gains a chapter no one has written yet
	def, _ := os.ReadFile(src + "/publication.yaml")
	grown := filepath.Join(t.TempDir(), "publication.yaml")
	os.WriteFile(grown, bytes.Replace(def, []byte("chapters: [introduction, schemes, recommendations]"), []byte("chapters: [introduction, schemes, recommendations, outlook]"), 1), 0o644)
	must(t)(aceo(t, s, "publication", "push", grown))
	agree(false)
}

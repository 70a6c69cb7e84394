package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/aceo-project/aceo/pipeline/store/s3test"
)

// aceo runs the command line with a store and returns stdout and the error.
func aceo(t *testing.T, storeURL string, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(append([]string{"aceo", "--store", storeURL}, args...), &stdout, &stderr)
	return stdout.String(), err
}

// must stops the test on an error, else returns the output.
func must(t *testing.T) func(string, error) string {
	return func(out string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return out
	}
}

// TestStoreWorkflow: an editor pushes the policy study, authors submit its
// drafts, status says a release would fail until the editor accepts every
// chapter, and the release build from the store gives the same PDFs as a
// build of the directory.
func TestStoreWorkflow(t *testing.T) {
	s := "file://" + t.TempDir()
	dir := "../../chapters/policy-study-sample"
	pushPublication(t, s, dir)
	if out := must(t)(aceo(t, s, "publication", "list")); !strings.Contains(out, "policy-study-sample") {
		t.Fatalf("list: %s", out)
	}
	drafts, _ := filepath.Glob(dir + "/*/*.md")
	out := must(t)(aceo(t, s, append([]string{"submit", "chapter"}, drafts...)...))
	if strings.Count(out, "stored as revision") != 6 {
		t.Fatalf("submit: %s", out)
	}
	out = must(t)(aceo(t, s, "submit", "chapter", drafts[0]))
	if !strings.Contains(out, "not stored again") {
		t.Fatalf("resubmit: %s", out)
	}
	if _, err := aceo(t, s, "status", "policy-study-sample"); err == nil || !strings.Contains(err.Error(), "a release build would fail: 6") {
		t.Fatalf("status before review: %v", err)
	}
	if _, err := aceo(t, s, "build", "--out", t.TempDir(), "policy-study-sample"); err == nil || !strings.Contains(err.Error(), "has no accepted revision") {
		t.Fatalf("release build before review: %v", err)
	}
	for _, ch := range []string{"introduction", "schemes", "recommendations"} {
		for _, lang := range []string{"en", "zh"} {
			must(t)(aceo(t, s, "review", "accept", "--lang", lang, "--note", "ok", "policy-study-sample", ch, "latest"))
		}
	}
	out = must(t)(aceo(t, s, "status", "--json", "policy-study-sample"))
	if !strings.Contains(out, `"release_ready": true`) || strings.Count(out, `"translation": "current"`) != 3 {
		t.Fatalf("status: %s", out)
	}
	hist := must(t)(aceo(t, s, "history", "--lang", "zh", "policy-study-sample", "schemes"))
	if !strings.Contains(hist, "accepted") {
		t.Fatalf("history: %s", hist)
	}
	rev := strings.Fields(strings.Split(hist, "\n")[1])[0]
	got := must(t)(aceo(t, s, "get", "--lang", "zh", "policy-study-sample", "schemes", rev))
	want, _ := os.ReadFile(dir + "/zh/schemes.md")
	if got != string(want) {
		t.Fatal("get returned other content")
	}

	fromStore, fromDir := t.TempDir(), t.TempDir()
	out = must(t)(aceo(t, s, "build", "--out", fromStore, "policy-study-sample"))
	if !strings.Contains(out, "stored in") {
		t.Fatalf("build: %s", out)
	}
	must(t)(aceo(t, s, "build", "--out", fromDir, dir))
	for _, lang := range []string{"en", "zh"} {
		a, _ := os.ReadFile(filepath.Join(fromStore, "policy-study-sample-"+lang+".pdf"))
		b, _ := os.ReadFile(filepath.Join(fromDir, "policy-study-sample-"+lang+".pdf"))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: the store build differs from the directory build", lang)
		}
	}
}

// TestSubmitRejects: a bad draft is rejected with file and line, the
// other files still go in, and the command fails.
func TestSubmitRejects(t *testing.T) {
	s := "file://" + t.TempDir()
	dir := "../../chapters/policy-study-sample"
	pushPublication(t, s, dir)
	bad := filepath.Join(t.TempDir(), "bad.md")
	os.WriteFile(bad, []byte("---\npublication: policy-study-sample\nchapter: appendix\nlang: en\ntitle: T\nauthors: [A]\n---\nText\n"), 0o644)
	out, err := aceo(t, s, "submit", "chapter", bad, dir+"/en/introduction.md")
	if err == nil || !strings.Contains(err.Error(), "1 of 2 files not stored") || !strings.Contains(err.Error(), `bad.md:3: publication policy-study-sample has no chapter "appendix"`) {
		t.Fatalf("%v", err)
	}
	if !strings.Contains(out, "introduction.md: stored as revision") {
		t.Fatalf("the good file was not stored: %s", out)
	}
	if _, err := aceo(t, s, "validate", bad); err == nil || !strings.Contains(err.Error(), "bad.md:3:") {
		t.Fatalf("validate: %v", err)
	}
	if out, err := aceo(t, s, "validate", dir+"/zh/schemes.md"); err != nil || !strings.Contains(out, "ok") {
		t.Fatalf("validate good: %v", err)
	}
	if _, err := aceo(t, "ftp://nowhere", "status", "x"); err == nil || !strings.Contains(err.Error(), "unknown scheme") {
		t.Fatalf("bad store URL: %v", err)
	}
}

// TestCredentialsCommand issues author credentials against MinIO and
// SeaweedFS and uses them: a chapter of the right publication goes in,
// the publication definition cannot be changed.
func TestCredentialsCommand(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			srv.Env(t)
			url := srv.URL(srv.NewBucket(t), "")
			dir := "../../chapters/policy-study-sample"
			pushPublication(t, url, dir)
			must(t)(aceo(t, url, "store", "setup"))
			out := must(t)(aceo(t, url, "credentials", "author", "--pub", "policy-study-sample", "--duration", "1h"))
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				kv := strings.SplitN(strings.TrimPrefix(line, "export "), "=", 2)
				t.Setenv(kv[0], kv[1])
			}
			if os.Getenv("AWS_SESSION_TOKEN") == "" {
				t.Fatalf("no session token: %s", out)
			}
			if out := must(t)(aceo(t, url, "submit", "chapter", dir+"/en/introduction.md")); !strings.Contains(out, "stored as revision") {
				t.Fatal(out)
			}
			if _, err := aceo(t, url, "publication", "push", dir+"/publication.yaml"); err == nil || !strings.Contains(err.Error(), "access denied") {
				t.Fatalf("author pushed a publication: %v", err)
			}
		})
	}
	if _, err := aceo(t, "file://"+t.TempDir(), "credentials", "editor"); err == nil || !strings.Contains(err.Error(), "cannot enforce roles") {
		t.Fatalf("local store: %v", err)
	}
}

// TestStoreBuildAnnex: a release build of the Outlook from the store,
// datasets submitted like the chapters, writes the data annex beside the
// PDFs and stores the same bytes under builds/; its README names each
// dataset's stored revision.
func TestStoreBuildAnnex(t *testing.T) {
	root := t.TempDir()
	s := "file://" + root
	dir := "../../chapters/aceo-sample"
	data := "../../datasets/aceo-sample"
	pushPublication(t, s, dir)
	must(t)(aceo(t, s, "submit", "figure", "--pub", "aceo-sample", dir+"/figures/forest-trend.png"))
	sets, _ := filepath.Glob(data + "/*.xlsx")
	csvs, _ := filepath.Glob(data + "/*.csv")
	must(t)(aceo(t, s, append([]string{"submit", "dataset", "--pub", "aceo-sample"}, append(sets, csvs...)...)...))
	drafts, _ := filepath.Glob(dir + "/*/*.md")
	must(t)(aceo(t, s, append([]string{"submit", "chapter"}, drafts...)...))
	for _, f := range drafts {
		lang := filepath.Base(filepath.Dir(f))
		text, _ := os.ReadFile(f)
		_, rest, _ := strings.Cut(string(text), "\nchapter: ")
		ch, _, _ := strings.Cut(rest, "\n")
		must(t)(aceo(t, s, "review", "accept", "--lang", lang, "aceo-sample", ch, "latest"))
	}
	must(t)(aceo(t, s, "activity", "import", "../../datasets/action-plan-2011-2013/tracker.xlsx"))
	out := t.TempDir()
	stdout := must(t)(aceo(t, s, "build", "--out", out, "aceo-sample"))
	// the appendices from the records stored are those from the tracker
	// file: the store build equals the directory build
	dirOut := t.TempDir()
	must(t)(aceo(t, s, "build", "--out", dirOut, dir))
	for _, lang := range []string{"en", "zh"} {
		a, _ := os.ReadFile(filepath.Join(out, "aceo-sample-"+lang+".pdf"))
		b, _ := os.ReadFile(filepath.Join(dirOut, "aceo-sample-"+lang+".pdf"))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: the store build differs from the directory build", lang)
		}
	}
	if !strings.Contains(stdout, "aceo-sample-data.xlsx\tdata annex") {
		t.Fatalf("build: %s", stdout)
	}
	annex, err := os.ReadFile(filepath.Join(out, "aceo-sample-data.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := filepath.Glob(filepath.Join(root, "builds", "aceo-sample", "*", "aceo-sample-data.xlsx"))
	if len(stored) != 1 {
		t.Fatalf("stored annexes: %q", stored)
	}
	if b, _ := os.ReadFile(stored[0]); !bytes.Equal(b, annex) {
		t.Fatal("the stored annex differs from the one written to --out")
	}
	f, err := excelize.OpenReader(bytes.NewReader(annex))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("README")
	revs := 0
	for _, r := range rows {
		if len(r) == 4 && strings.HasPrefix(r[1], "drafts/aceo-sample/datasets/") && len(r[2]) > 12 && len(r[3]) == 64 {
			revs++
		}
	}
	if revs != 6 { // forests, climate, freshwater and air-quality with their dictionaries
		t.Fatalf("README lists %d stored dataset revisions, want 6: %q", revs, rows)
	}
	batches := 0
	for _, r := range rows {
		if len(r) == 4 && strings.HasPrefix(r[1], "activities/records/") && strings.HasSuffix(r[1], r[2]+".json") && len(r[3]) == 64 {
			batches++
		}
	}
	if batches != 1 {
		t.Fatalf("README lists %d activity record batches, want 1: %q", batches, rows)
	}
}

// TestSubmitDatasetRejects: a dataset with a bad cell is refused with its
// file and cell, nothing of it is stored, a good one beside it goes in,
// and validate gives the same verdict without storing anything.
func TestSubmitDatasetRejects(t *testing.T) {
	root := t.TempDir()
	s := "file://" + root
	must(t)(aceo(t, s, "publication", "push", "../../chapters/aceo-sample/publication.yaml"))
	dir := t.TempDir()
	dict, err := os.ReadFile("../../datasets/aceo-sample/air-quality.indicators.csv")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "pm.indicators.csv"), dict, 0o644)
	code := strings.SplitN(strings.Split(string(dict), "\n")[1], ",", 2)[0]
	os.WriteFile(filepath.Join(dir, "pm.csv"), []byte("indicator,country,year,value\n"+code+",VNM,2012,29\n"+code+",XYZ,2012,30\n"), 0o644)
	good := "../../datasets/aceo-sample/climate.xlsx"

	if _, err := aceo(t, s, "validate", filepath.Join(dir, "pm.csv")); err == nil || !strings.Contains(err.Error(), `pm.csv:3:14: unknown country code "XYZ"`) {
		t.Fatalf("validate: %v", err)
	}
	out, err := aceo(t, s, "submit", "dataset", "--pub", "aceo-sample", filepath.Join(dir, "pm.csv"), good)
	if err == nil || !strings.Contains(err.Error(), "1 of 2 datasets not stored") || !strings.Contains(err.Error(), `pm.csv:3:14: unknown country code "XYZ"`) {
		t.Fatalf("submit: %v", err)
	}
	if !strings.Contains(out, "climate.xlsx: stored as revision") {
		t.Fatalf("the good dataset was not stored: %s", out)
	}
	if m, _ := filepath.Glob(filepath.Join(root, "drafts", "aceo-sample", "datasets", "pm*")); len(m) != 0 {
		t.Fatalf("the refused dataset left %q", m)
	}
	if m, _ := filepath.Glob(filepath.Join(root, "drafts", "aceo-sample", "datasets", "climate", "*.xlsx")); len(m) != 1 {
		t.Fatalf("stored climate revisions: %q", m)
	}
}

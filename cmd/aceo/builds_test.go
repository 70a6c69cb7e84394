package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/build"
	"github.com/aceo-project/aceo/pipeline/manifest"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
)

// submitSample puts the sample Outlook into the store at url the way
// scripts/sample.sh does: definition, tracker, figure, datasets, drafts,
// every chapter accepted.
func submitSample(t *testing.T, url string) {
	t.Helper()
	dir := "../../chapters/aceo-sample"
	data := "../../datasets/aceo-sample"
	pushPublication(t, url, dir)
	must(t)(aceo(t, url, "activity", "import", "../../datasets/action-plan-2011-2013/tracker.xlsx"))
	must(t)(aceo(t, url, "submit", "figure", "--pub", "aceo-sample", dir+"/figures/forest-trend.png"))
	must(t)(aceo(t, url, "submit", "bibliography", "--pub", "aceo-sample", dir+"/refs.bib"))
	sets, _ := filepath.Glob(data + "/*.xlsx")
	csvs, _ := filepath.Glob(data + "/*.csv")
	must(t)(aceo(t, url, append([]string{"submit", "dataset", "--pub", "aceo-sample"}, append(sets, csvs...)...)...))
	drafts, _ := filepath.Glob(dir + "/*/*.md")
	must(t)(aceo(t, url, append([]string{"submit", "chapter"}, drafts...)...))
	for _, f := range drafts {
		lang := filepath.Base(filepath.Dir(f))
		text, _ := os.ReadFile(f)
		_, rest, _ := strings.Cut(string(text), "\nchapter: ")
		ch, _, _ := strings.Cut(rest, "\n")
		must(t)(aceo(t, url, "review", "accept", "--lang", lang, "aceo-sample", ch, "latest"))
	}
}

// TestManifestAndVerify, on MinIO and SeaweedFS: a release build of the sample Outlook
// stores its manifest (every input with revision and hash, every output
// with size and hash); builds list and show find it; after new drafts and
// records are submitted, --verify still fetches exactly the inputs the
// manifest names and reproduces every output byte for byte; with another
// template the rebuild differs, and verify says which outputs and why,
// and fails.
func TestManifestAndVerify(t *testing.T) {
	for name, srv := range s3test.Servers(t) {
		t.Run(name, func(t *testing.T) {
			srv.Env(t)
			url := srv.URL(srv.NewBucket(t), "")
			submitSample(t, url)
			out := t.TempDir()
			stdout := must(t)(aceo(t, url, "build", "--out", out, "aceo-sample"))
			if !strings.Contains(stdout, "manifest") {
				t.Fatalf("build: %s", stdout)
			}
			m := readManifest(t, out)
			kinds := map[string]int{}
			for _, in := range m.Inputs {
				kinds[in.Kind]++
				if len(in.SHA256) != 64 || in.Key == "" || in.Rev == "" {
					t.Errorf("input without key, revision or hash: %+v", in)
				}
			}
			// 3 front chapters (foreword, acknowledgements, summary) and 7 chapters x 2 languages, 1 figure, the 4 datasets the tables use (2 XLSX, 2 CSV with their dictionaries), the bibliography, the glossary, 1 batch of records
			if kinds["publication"] != 1 || kinds["chapter"] != 20 || kinds["figure"] != 1 || kinds["dataset"] != 6 || kinds["bibliography"] != 1 || kinds["glossary"] != 1 || kinds["activities"] != 1 {
				t.Errorf("inputs by kind %v", kinds)
			}
			// 2 PDFs, 2 summaries, the data annex, 2 contents files
			if len(m.Outputs) != 7 || !slices.Equal(m.Languages, []string{"en", "zh"}) || m.Mode != "release" || m.AsOf != "2013-11-15" || m.Template.SHA256 == "" || len(m.Fonts) < 5 || m.Tool.GoVersion == "" {
				t.Errorf("manifest %+v", m)
			}
			for _, o := range m.Outputs {
				b, err := os.ReadFile(filepath.Join(out, o.Name))
				if err != nil || len(b) != o.Size || manifest.SHA256(b) != o.SHA256 || !strings.HasPrefix(o.Key, "builds/aceo-sample/"+m.Build+"/") {
					t.Errorf("output %+v does not match its file (%v)", o, err)
				}
			}
			stages := map[string]bool{}
			for _, s := range m.Timings {
				stages[s.Stage] = true
			}
			for _, s := range []string{"load", "render", "render en", "render zh", "annex", "store"} {
				if !stages[s] {
					t.Errorf("no timing for %s: %+v", s, m.Timings)
				}
			}
			if list := must(t)(aceo(t, url, "builds", "list", "aceo-sample")); !strings.Contains(list, m.Build) || !strings.Contains(list, "release") {
				t.Errorf("builds list: %s", list)
			}
			show := must(t)(aceo(t, url, "builds", "show", m.Build))
			for _, want := range []string{"inputs:", "chapter", "activities", "aceo-sample-zh.pdf", m.Outputs[0].SHA256} {
				if !strings.Contains(show, want) {
					t.Errorf("builds show lacks %q", want)
				}
			}

			// new drafts and records after the build do not change what verify reads
			changed := filepath.Join(t.TempDir(), "01-regional-context.md")
			text, _ := os.ReadFile("../../chapters/aceo-sample/en/01-regional-context.md")
			os.WriteFile(changed, []byte(strings.Replace(string(text), "\n# ", "\nA sentence added after the build.\n\n# ", 1)), 0o644)
			must(t)(aceo(t, url, "submit", "chapter", changed))
			must(t)(aceo(t, url, "review", "accept", "--lang", "en", "aceo-sample", "regional-context", "latest"))
			must(t)(aceo(t, url, "activity", "update", "3.3.2", "--status", "done", "--date", "2013-11-10"))
			v := must(t)(aceo(t, url, "build", "--verify", m.Build))
			if !strings.Contains(v, "verified: 7 outputs") {
				t.Fatalf("verify: %s", v)
			}

			// another template: the rebuild differs, and verify says so
			tdir := t.TempDir()
			tpl, _ := os.ReadFile("../../templates/outlook.yaml")
			os.WriteFile(filepath.Join(tdir, "outlook.yaml"), []byte(strings.Replace(string(tpl), "body: 10.5", "body: 10.4", 1)), 0o644)
			os.MkdirAll(filepath.Join(tdir, "registers"), 0o755)
			reg, _ := os.ReadFile("../../templates/registers/action-plan-2011-2013.yaml")
			os.WriteFile(filepath.Join(tdir, "registers", "action-plan-2011-2013.yaml"), reg, 0o644)
			_, err := aceo(t, url, "build", "--verify", m.Build, "--templates", tdir)
			if err == nil || !strings.Contains(err.Error(), "is not reproduced") || !strings.Contains(err.Error(), "aceo-sample-en.pdf: SHA-256") || !strings.Contains(err.Error(), "template outlook.yaml has changed") {
				t.Fatalf("verify with another template: %v", err)
			}
			if _, err := aceo(t, url, "build", "--verify", "20000101T000000Z-000000000000"); err == nil || !strings.Contains(err.Error(), "no build") {
				t.Fatalf("verify of an unknown build: %v", err)
			}
		})
	}
}

// readManifest reads the manifest.json a build wrote into out.
func readManifest(t *testing.T, out string) manifest.Manifest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(out, manifest.Name))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDirectoryManifest: a build of a directory writes manifest.json
// beside its outputs, naming each file read and its hash.
func TestDirectoryManifest(t *testing.T) {
	out := t.TempDir()
	must(t)(aceo(t, "file://"+t.TempDir(), "build", "--out", out, "../../chapters/policy-study-sample"))
	m := readManifest(t, out)
	if m.Mode != "directory" || len(m.Inputs) != 8 || m.Inputs[0].Kind != "publication" || !strings.HasSuffix(m.Inputs[0].Key, "publication.yaml") || len(m.Outputs) != 4 {
		t.Fatalf("manifest %+v", m)
	}
	for _, in := range m.Inputs {
		b, err := os.ReadFile(in.Key)
		if err != nil || manifest.SHA256(b) != in.SHA256 {
			t.Errorf("input %+v: %v", in, err)
		}
	}
}

// TestBuildOutput: off a terminal, progress goes to stderr as plain lines
// (stages, pages per edition, uploads with bytes) and results to stdout;
// --quiet prints nothing on success; --json prints one JSON document on
// stdout and nothing on stderr.
func TestBuildOutput(t *testing.T) {
	s := "file://" + t.TempDir()
	dir := "../../chapters/policy-study-sample"
	run3 := func(args ...string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		err := run(append([]string{"aceo", "--store", s}, args...), &stdout, &stderr)
		return stdout.String(), stderr.String(), err
	}
	if _, _, err := run3("publication", "push", dir+"/publication.yaml"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run3("submit", "bibliography", "--pub", "policy-study-sample", dir+"/refs.bib"); err != nil {
		t.Fatal(err)
	}
	drafts, _ := filepath.Glob(dir + "/*/*.md")
	if _, _, err := run3(append([]string{"submit", "chapter"}, drafts...)...); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := run3("build", "--preview", "--out", t.TempDir(), "policy-study-sample")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"preflight", "render en: done, 11 pages", "render zh: done, 11 pages", "built policy-study-sample"} { // 9 pages, a blank and the preflight report
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if m := regexp.MustCompile(`upload policy-study-sample-en.pdf: (\d+) of (\d+) bytes`).FindStringSubmatch(errOut); m == nil || m[1] != m[2] || m[1] == "0" {
		t.Errorf("no complete upload line in stderr:\n%s", errOut)
	}
	if strings.Contains(out, "render en") || !strings.Contains(out, "policy-study-sample-zh.pdf\t11 pages") {
		t.Errorf("stdout:\n%s", out)
	}
	out, errOut, err = run3("build", "--preview", "--quiet", "--out", t.TempDir(), "policy-study-sample")
	if err != nil || out != "" || errOut != "" {
		t.Errorf("--quiet printed %q and %q (%v)", out, errOut, err)
	}
	out, errOut, err = run3("build", "--preview", "--json", "--out", t.TempDir(), "policy-study-sample")
	var res struct {
		Build     string
		Outputs   []manifest.OutputFile
		Preflight *build.Report
	}
	if err != nil || errOut != "" || json.Unmarshal([]byte(out), &res) != nil || res.Build == "" || len(res.Outputs) != 4 || res.Preflight == nil {
		t.Errorf("--json: %v, stderr %q, stdout %s", err, errOut, out)
	}
}

// TestRevisionCache: a store build keeps the revisions it read in the
// builder's cache (named by their hash); the next build reads them from
// there, gives the same PDFs, and a damaged cached file is fetched again.
func TestRevisionCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("ACEO_REVISION_CACHE", "")
	s := "file://" + t.TempDir()
	releaseBuild(t, s) // pushes, submits, accepts and builds the policy study
	kept, _ := filepath.Glob(filepath.Join(cache, "aceo", "revisions", "*", "*"))
	if len(kept) != 7 {
		t.Fatalf("%d revisions cached, want the 6 drafts and the bibliography: %q", len(kept), kept)
	}
	os.WriteFile(kept[0], []byte("damaged"), 0o644)
	out1, out2 := t.TempDir(), t.TempDir()
	must(t)(aceo(t, s, "build", "--out", out1, "policy-study-sample"))
	t.Setenv("ACEO_REVISION_CACHE", "off")
	must(t)(aceo(t, s, "build", "--out", out2, "policy-study-sample"))
	for _, lang := range []string{"en", "zh"} {
		a, _ := os.ReadFile(filepath.Join(out1, "policy-study-sample-"+lang+".pdf"))
		b, _ := os.ReadFile(filepath.Join(out2, "policy-study-sample-"+lang+".pdf"))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: the build from the cache differs from the build from the store", lang)
		}
	}
	if b, _ := os.ReadFile(kept[0]); string(b) == "damaged" {
		t.Error("the damaged cached revision was not fetched again")
	}
}

// pushPublication pushes the publication of dir and submits the
// bibliography files it names: its drafts cite them, and a draft citing
// a work the store does not have is refused.
func pushPublication(t *testing.T, store, dir string) {
	t.Helper()
	must(t)(aceo(t, store, "publication", "push", dir+"/publication.yaml"))
	p, err := publication.Load(dir + "/publication.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range p.Bibliography {
		must(t)(aceo(t, store, "submit", "bibliography", "--pub", p.ID, dir+"/"+b))
	}
	if p.Glossary != "" {
		must(t)(aceo(t, store, "submit", "glossary", "--pub", p.ID, dir+"/"+p.Glossary))
	}
}

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/build"
)

// brokenStudy copies the policy study into a directory and breaks it in
// every way a preflight checks: a translation missing, a reference to a
// missing label, a figure not there, a character no font has, a table
// from a dataset that does not exist, and an English chapter changed after
// its translation was made.
func brokenStudy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := "../../chapters/policy-study-sample"
	for _, f := range []string{"publication.yaml", "en/introduction.md", "en/schemes.md", "en/recommendations.md", "zh/introduction.md", "zh/recommendations.md"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		switch f {
		case "en/introduction.md":
			text = strings.Replace(text, "# Approach", "See @sec:nowhere for more. A smile: \U0001F600.\n\n![A missing map](figures/nope.png)\n\n```aceo-table\ndataset: ghost\nindicator: x\nyears: 2010\n```\n\n# Approach", 1)
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), []byte(text), 0o644)
	}
	return dir
}

// TestPreflight: a release build of a broken publication renders nothing
// and reports every problem at once, with its code and place, in text and
// JSON; a preview renders anyway, with the draft mark on every page, the
// English text in place of the missing translation, and the report as the
// last page.
func TestPreflight(t *testing.T) {
	dir := brokenStudy(t)
	s := "file://" + t.TempDir()
	out := t.TempDir()
	_, err := aceo(t, s, "build", "--out", out, dir)
	if err == nil {
		t.Fatal("a release build of a broken publication succeeded")
	}
	for _, want := range []string{
		"preflight found", "nothing was rendered",
		`[zh] ` + filepath.Join(dir, "publication.yaml") + `:`, `chapter "schemes" has no zh draft`,
		`reference to missing label "sec:nowhere"`,
		`figure "figures/nope.png" not found`,
		`no font of the template covers`, "U+1F600",
		`unknown dataset "ghost"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(out, "*")); len(m) != 0 {
		t.Fatalf("a failed release build wrote %q", m)
	}

	stdout, err := aceo(t, s, "build", "--json", "--out", out, dir)
	if err == nil {
		t.Fatal("--json: no error")
	}
	var res struct {
		Preflight build.Report
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout)
	}
	codes := map[string]int{}
	for _, p := range res.Preflight.Errors {
		codes[p.Code]++
	}
	for _, c := range []string{"missing-translation", "broken-reference", "unknown-figure", "font-coverage", "dataset"} {
		if codes[c] == 0 {
			t.Errorf("no %s error in %+v", c, res.Preflight.Errors)
		}
	}
	warned := false
	for _, p := range res.Preflight.Warnings {
		warned = warned || (p.Code == "stale-translation" && strings.Contains(p.Message, `"introduction"`))
	}
	if !warned {
		t.Errorf("no stale-translation warning for the changed introduction: %+v", res.Preflight.Warnings)
	}

	// the preview renders anyway
	must(t)(aceo(t, s, "build", "--preview", "--out", out, dir))
	for _, lang := range []string{"en", "zh"} {
		pdf := filepath.Join(out, "policy-study-sample-"+lang+".pdf")
		text, err := exec.Command("pdftotext", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		pages := strings.Split(strings.TrimRight(string(text), "\f"), "\f")
		for i, p := range pages {
			if !strings.Contains(p, "DRAFT") || !strings.Contains(p, "草稿") {
				t.Errorf("%s page %d has no draft mark", lang, i+1)
			}
		}
		last := pages[len(pages)-1]
		title := map[string]string{"en": "Preflight report", "zh": "预检报告"}[lang]
		if !strings.Contains(last, title) || !strings.Contains(last, "broken-reference") || !strings.Contains(last, "sec:nowhere") {
			t.Errorf("%s: the last page is not the preflight report:\n%s", lang, last)
		}
		if lang == "zh" {
			flat := strings.Join(strings.Fields(string(text)), " ")
			if !strings.Contains(flat, "译文待定") || !strings.Contains(flat, "Overview of schemes") {
				t.Errorf("zh preview: no pending note with the English text of the missing chapter")
			}
		}
	}
	m := readManifest(t, out)
	if m.Mode != "directory" || m.Preflight == nil {
		t.Errorf("preview manifest %+v", m)
	}
}

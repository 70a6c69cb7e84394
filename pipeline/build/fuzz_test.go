package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// buildDir is the copy of the sample that a fuzzing process builds
// accepted drafts in (each process runs its inputs one at a time).
var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// fuzzFront is the front matter every generated draft starts with, unless
// the input brings its own.
const fuzzFront = "---\npublication: aceo-sample\nchapter: freshwater\nlang: en\ntitle: Freshwater\nauthors: [Tester]\n---\n"

// FuzzDraft generates chapter drafts (one copy of the sample publication
// serves the run; each input replaces its English freshwater chapter) and checks the promise of one
// verdict: CheckChapter never panics, and when it accepts a draft, a
// preview build of the publication with it succeeds, with no error
// attributed to the draft.
func FuzzDraft(f *testing.F) {
	for _, s := range []string{
		"| Country | Value |\n|---|---|\n| A | 1 |\n",
		"Table: Caption {#tbl:a}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee @tbl:a.\n",
		"- a\n  - b\n    > c\n    > > d\n",
		"Text[^1] and more[^2].\n\n[^1]: One.\n[^2]: Two with @sec:freshwater.\n",
		"See @eq:one and @tbl:nope and @fig:nope and @sec:nope.\n",
		"```aceo-table\ndataset: freshwater\nindicator: WATER_ACCESS\ncolums: [a]\n```\n",
		"```aceo-chart\ntype: line\ndataset: forests\nindicator: FOREST_COVER\ncaption: {en: Forest cover, 1990-2010, zh: 森林}\n```\n",
		"```go\nfunc main() {}\n```\n",
		"中文与 Latin 混排，**强调。**接着 *italic* `code`。\n",
		"# A {#sec:a}\n\n## B {#sec:b}\n\n### C\n\nSee @sec:a, @sec:b.\n",
		"![Caption](figures/forest-trend.png){#fig:x}\n\n![](figures/forest-trend.png)\n",
		"> | a |\n> |---|\n> | 1 |\n",
		strings.Repeat("> ", 20) + "deep\n",
		"---\npublication: aceo-sample\nchapter: freshwater\nlang: english\ntitle: T\n---\nbody\n",
		"---\npublication: aceo-sample\n",
		"<!-- a note\nover lines -->\n\nText <!-- inline --> more.\n\n<!-- unclosed\n",
		"- <!-- x -->\n  | a |\n  |---|\n  | 1 |\n",
		"```aceo-map\ndataset: forests\nindicator: FOREST_COVER\nbreaks: [30, 50]\nlabel: fig:m\n```\n\nSee @fig:m, [mangroves]{.index} and [delta]{.index key=\"Mekong!delta\"}.\n",
		"```aceo-map\ndataset: forests\nindicator: FOREST_COVER\nyear: 1066\n```\n",
	} {
		f.Add(s)
	}
	fuzzDir := sampleCopy(f)
	f.Cleanup(func() {
		if buildDir != "" {
			os.RemoveAll(buildDir)
		}
	})
	f.Fuzz(func(t *testing.T, body string) {
		text := body
		if !strings.HasPrefix(body, "---\n") {
			text = fuzzFront + body
		}
		if len(text) > 64<<10 {
			return // the size limit is tested elsewhere; keep runs fast
		}
		file := filepath.Join(fuzzDir, "en", "03-freshwater.md")
		v, err := CheckChapter(context.Background(), Request{Dir: fuzzDir, Options: testOptions()}, file, []byte(text))
		if err != nil {
			t.Fatalf("check failed: %v", err)
		}
		if !v.OK() {
			return
		}
		// accepted: a preview build of the publication with it succeeds
		// (a preview of the chapter: the whole publication is loaded and
		// numbered, the chapter typeset), in a copy this process keeps
		buildOnce.Do(func() {
			buildDir, _ = os.MkdirTemp("", "aceo-fuzzdraft-")
			buildErr = copyTree(filepath.Dir(filepath.Dir(fuzzDir)), buildDir)
		})
		if buildErr != nil {
			t.Fatal(buildErr)
		}
		pub := filepath.Join(buildDir, "chapters", "aceo-sample")
		if err := os.WriteFile(filepath.Join(pub, "en", "03-freshwater.md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		opt := testOptions()
		opt.Languages = []string{"en"}
		res, err := Run(context.Background(), Request{Dir: pub, Preview: true, Chapter: "freshwater", Options: opt})
		if err != nil {
			t.Fatalf("accepted draft, but the preview build failed: %v\n%s", err, text)
		}
		for _, p := range res.Report.Errors {
			if strings.HasSuffix(p.File, filepath.Join("en", "03-freshwater.md")) {
				t.Fatalf("accepted draft, but the build reports: %s\n%s", p, text)
			}
		}
	})
}

// copyTree copies the files below from into to.
func copyTree(from, to string) error {
	return filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

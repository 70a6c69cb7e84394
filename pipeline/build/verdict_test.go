package build

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// sampleCopy copies the sample publication and its datasets into a
// temporary tree (chapters/aceo-sample beside datasets/aceo-sample, as in
// the repository) and returns the publication directory.
func sampleCopy(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"chapters/aceo-sample", "datasets/aceo-sample", "datasets/action-plan-2011-2013"} {
		if err := copyTree(filepath.Join("..", "..", filepath.FromSlash(d)), filepath.Join(root, filepath.FromSlash(d))); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(root, "chapters", "aceo-sample")
}

// dirPreflight is the build's preflight of a publication directory, as
// aceo build runs it: a lenient load, then Preflight.
func dirPreflight(t *testing.T, dir string) *Report {
	t.Helper()
	opt := testOptions()
	opt.Lenient = true
	src, err := Load(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := Preflight(src, opt, "directory")
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

var testFonts = typeset.NewFontSet(typeset.DefaultFontDirs())

func testOptions() Options { return Options{Templates: templates.FS, Fonts: testFonts} }

// mutation is one single-point change to a sample chapter, and whether
// the changed draft is acceptable.
type mutation struct {
	name    string
	file    string // under the publication directory
	old     string // replaced once ("" appends new)
	new     string
	refused bool
	want    string // in the verdict's errors (refused) or warnings
}

var mutations = []mutation{
	{"captionless table", "en/03-freshwater.md", "", "\n| Country | Value |\n|---|---|\n| A | 1 |\n", false, ""},
	{"captionless table in a list", "en/03-freshwater.md", "", "\n- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n", false, ""},
	{"labelled captionless table", "en/03-freshwater.md", "", "\n| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: {#tbl:bare}\n", true, "tbl:bare"},
	{"unknown table reference", "en/03-freshwater.md", "@tbl:water-access shows", "@tbl:water-acess shows", true, `did you mean @tbl:water-access?`},
	{"unknown figure reference", "en/03-freshwater.md", "", "\nSee @fig:nowhere.\n", true, `missing label "fig:nowhere"`},
	{"unknown section reference", "en/03-freshwater.md", "", "\nSee @sec:nowhere.\n", true, `missing label "sec:nowhere"`},
	{"unknown reference kind", "en/03-freshwater.md", "", "\nSee @eq:one.\n", true, `"@eq:one"`},
	{"reference kind as code is fine", "en/03-freshwater.md", "", "\nWrite `@eq:one` for equations.\n", false, ""},
	{"e-mail address is fine", "en/03-freshwater.md", "", "\nWrite to outlook@example.org for data.\n", false, ""},
	{"unknown dataset", "en/03-freshwater.md", "dataset: freshwater", "dataset: freshwatr", true, `unknown dataset "freshwatr"`},
	{"unknown indicator", "en/03-freshwater.md", "indicator: WATER_ACCESS", "indicator: WATER_ACCES", true, "WATER_ACCES"},
	{"misspelt table field", "en/03-freshwater.md", "aggregates: [ASEAN, ASEAN+CHN]", "agregates: [ASEAN, ASEAN+CHN]", true, `did you mean "aggregates"`},
	{"unknown country", "en/02-forests-biodiversity.md", "countries: [VNM, CHN", "countries: [VNX, CHN", true, "VNX"},
	{"chart years", "en/02-forests-biodiversity.md", "countries: [VNM, CHN, IDN, KHM, MMR, PHL]", "countries: [VNM, CHN, IDN, KHM, MMR, PHL]\nyears: [1990, 2010]", true, "write year: 2010"},
	{"unquoted comma in a flow caption", "en/02-forests-biodiversity.md", "caption:\n  en: Forest cover in six countries, 1990-2010 (illustrative)\n  zh: 六国森林覆盖率，1990—2010年（示意）", "caption: {en: Forest cover, 1990-2010, zh: 森林}", true, `caption: {en: "Forest cover, 1990-2010", zh: "森林"}`},
	{"unquoted colon in a flow caption", "en/02-forests-biodiversity.md", "caption:\n  en: Forest cover in six countries, 1990-2010 (illustrative)\n  zh: 六国森林覆盖率，1990—2010年（示意）", "caption: {en: Ratio: forest, zh: 森林}", true, `{en: "Ratio: forest", zh: "森林"}`},
	{"chart type", "en/02-forests-biodiversity.md", "type: line", "type: pie", true, `chart type "pie"`},
	{"duplicate label in the chapter", "en/03-freshwater.md", "## The Mekong basin {#sec:mekong}", "## The Mekong basin {#sec:water-resources}", true, `label "sec:water-resources" is already used`},
	{"duplicate label across chapters", "en/03-freshwater.md", "# Water quality", "# Water quality {#sec:forest-state}", true, `label "sec:forest-state" is already used`},
	{"missing figure", "en/03-freshwater.md", "", "\n![Rivers of the region](figures/rivers.png){#fig:rivers alt=\"A map of rivers\"}\n", true, `figure "figures/rivers.png" not found`},
	{"figure outside figures/", "en/03-freshwater.md", "", "\n![Rivers](../rivers.png)\n", true, "not under figures/"},
	{"uncovered character", "en/03-freshwater.md", "", "\nA smile 😀.\n", true, "U+1F600"},
	{"front matter: unknown field", "en/03-freshwater.md", "lang: en", "lang: en\nauthor: X", true, `unknown field "author"`},
	{"front matter: lang english", "en/03-freshwater.md", "lang: en", "lang: english", true, `write lang: en`},
	{"front matter: unknown chapter", "en/03-freshwater.md", "chapter: freshwater", "chapter: freshwatr", true, `did you mean "freshwater"`},
	{"front matter: other publication", "en/03-freshwater.md", "publication: aceo-sample", "publication: other-pub", true, `belongs to publication "other-pub"`},
	{"front matter: no title", "en/03-freshwater.md", "title: Freshwater\n", "", true, "front matter has no title"},
	{"front matter: not closed", "en/03-freshwater.md", "\n---\n", "\n", true, "front matter is not closed"},
	{"front matter: bad translated_from", "zh/03-freshwater.md", "translated_from: sha256:", "translated_from: sha:", true, "neither a revision id nor a file hash"},
	{"heading level too deep", "en/03-freshwater.md", "", "\n#### Too deep\n", true, "deeper than the three levels"},
	{"raw HTML", "en/03-freshwater.md", "", "\n<div>x</div>\n", true, "raw HTML"},
	{"caption without a table", "en/03-freshwater.md", "", "\nTable: Orphan caption\n", true, "table caption without a table"},
	{"heading label kind", "en/03-freshwater.md", "{#sec:mekong}", "{#tbl:mekong}", true, "not a section label"},
	{"invalid UTF-8", "en/03-freshwater.md", "", "\n\xff\xfe\n", true, "not valid UTF-8"},
	{"footnotes and nested quotes are fine", "en/03-freshwater.md", "", "\n> > quoted[^q]\n\n[^q]: A note.\n", false, ""},
	{"mixed Chinese and Latin is fine", "zh/03-freshwater.md", "", "\n中文与 Latin 混排，参见 @tbl:water。\n", false, ""},
	{"stale translation warns", "zh/03-freshwater.md", "re:(translated_from: sha256:)[0-9a-f]{64}", "${1}" + strings.Repeat("0", 64), false, "translation"},
}

// TestVerdictMatchesPreflight: for every mutation of a sample chapter,
// CheckChapter (what validate, submit and the upload page say) refuses the
// draft exactly when the build's preflight of the directory reports an
// error attributed to it, and the verdict is the expected one.
func TestVerdictMatchesPreflight(t *testing.T) {
	if len(mutations) < 30 {
		t.Fatalf("only %d mutations", len(mutations))
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			dir := sampleCopy(t)
			file := filepath.Join(dir, filepath.FromSlash(m.file))
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			text := string(data)
			switch {
			case m.old == "":
				text += m.new
			case strings.HasPrefix(m.old, "re:"):
				re := regexp.MustCompile(m.old[3:])
				if !re.MatchString(text) {
					t.Fatalf("%s does not match %s", m.file, m.old)
				}
				text = re.ReplaceAllString(text, m.new)
			case !strings.Contains(text, m.old):
				t.Fatalf("%s does not contain %q", m.file, m.old)
			default:
				text = strings.Replace(text, m.old, m.new, 1)
			}
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			v, err := CheckChapter(context.Background(), Request{Dir: dir, Options: testOptions()}, file, []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			rep := dirPreflight(t, dir)
			var attributed []string
			for _, p := range rep.Errors {
				if p.File == file {
					attributed = append(attributed, p.String())
				}
			}
			if !v.OK() != (len(attributed) > 0) {
				t.Fatalf("validate refused=%v but the build's preflight attributes %d errors to the draft:\nverdict: %v\npreflight: %v", !v.OK(), len(attributed), v.Errors, attributed)
			}
			if !v.OK() != m.refused {
				t.Fatalf("refused=%v, want %v: %v", !v.OK(), m.refused, v.Errors)
			}
			if m.want != "" {
				all := ""
				for _, p := range append(append([]Problem{}, v.Errors...), v.Warnings...) {
					all += p.String() + "\n"
				}
				if !strings.Contains(all, m.want) {
					t.Fatalf("verdict lacks %q:\n%s", m.want, all)
				}
			}
			// every message and hint of the verdict reads in Chinese too
			for _, p := range append(append([]Problem{}, v.Errors...), v.Warnings...) {
				zh := p.In("zh")
				if !hasHan(zh.Message) || (p.Hint != "" && !hasHan(zh.Hint)) {
					t.Errorf("no Chinese for %q / %q: got %q / %q", p.Message, p.Hint, zh.Message, zh.Hint)
				}
			}
			for _, p := range v.Errors {
				if p.File != file || (p.Line == 0 && !strings.Contains(p.Message, "not closed")) && p.Code != CodeDraft {
					t.Errorf("problem not placed in the draft: %+v", p)
				}
			}
		})
	}
}

// TestCaptionlessTable: a Markdown table without a caption builds (it used
// to panic in the list of tables), is unnumbered and not listed, and the
// numbers of the captioned tables do not change.
func TestCaptionlessTable(t *testing.T) {
	dir := sampleCopy(t)
	file := filepath.Join(dir, "en", "03-freshwater.md")
	data, _ := os.ReadFile(file)
	data = append(data, "\n| Country | Value |\n|---|---|\n| A | 1 |\n\n![](figures/forest-trend.png){alt=\"A chart\"}\n"...)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Request{Dir: dir, Options: testOptions()})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Outputs {
		if o.Lang != "en" {
			continue
		}
		var bare, numbered int
		for _, ch := range o.Edition.Chapters {
			if ch.Meta.Chapter != "freshwater" {
				continue
			}
			ch.Walk(func(b ms.Block) {
				switch b := b.(type) {
				case *ms.Table:
					if b.Number == "" {
						bare++
					} else {
						numbered++
					}
				case *ms.Figure:
					if b.Number == "" {
						bare++
					}
				}
			})
		}
		if bare != 2 || numbered != 2 {
			t.Fatalf("freshwater: %d unnumbered tables and figures (want 2), %d numbered tables (want 2)", bare, numbered)
		}
		text := bodyText(t, o.PDF)
		if !strings.Contains(text, "Country") || strings.Contains(text, "Table 3.3") {
			t.Fatalf("the captionless table is missing, or was numbered 3.3")
		}
	}
}

// TestLanguagesChecked: a build of a language the publication lacks (or
// written in capitals) is an error that lists the publication's
// languages, not a panic.
func TestLanguagesChecked(t *testing.T) {
	dir := filepath.Join("..", "..", "chapters", "aceo-sample")
	for _, l := range []string{"fr", "EN", ""} {
		opt := testOptions()
		opt.Languages = []string{l}
		_, err := Run(context.Background(), Request{Dir: dir, Options: opt})
		if err == nil || !strings.Contains(err.Error(), "use en or zh") {
			t.Errorf("--lang %q: %v", l, err)
		}
	}
}

// TestBuildDefaults: Build with zero Options uses the built-in templates
// and the system's fonts, as Options says, instead of dereferencing nil.
func TestBuildDefaults(t *testing.T) {
	src, err := LoadDir(filepath.Join("..", "..", "chapters", "policy-study-sample"))
	if err != nil {
		t.Fatal(err)
	}
	outs, err := Build(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 || outs[0].Pages == 0 {
		t.Fatalf("got %d outputs", len(outs))
	}
}

// TestUnreadableDraftNoCascade: a draft that cannot be parsed is reported
// once, with its own errors, and its chapter is not also reported missing.
func TestUnreadableDraftNoCascade(t *testing.T) {
	dir := sampleCopy(t)
	file := filepath.Join(dir, "en", "03-freshwater.md")
	data, _ := os.ReadFile(file)
	bad := strings.Replace(string(data), "title: Freshwater\n", "title: [unclosed\n", 1)
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := dirPreflight(t, dir)
	for _, p := range rep.Errors {
		if strings.Contains(p.Message, "has no en draft") {
			t.Errorf("cascade: %s", p)
		}
	}
	if len(rep.Errors) == 0 {
		t.Fatal("no error for an unreadable draft")
	}
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

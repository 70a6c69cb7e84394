package build

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aceo-project/aceo/templates"
)

const citeBib = `@book{unep2019,
  author = {{UNEP}}, title = {Global Environment Outlook 6}, publisher = {Cambridge University Press},
  address = {Cambridge}, year = 2019, doi = {10.1017/9781108627146}}
@article{smith2020,
  author = {Smith, John and Jones, Kate and Lee, Min}, title = {Mangrove loss in Southeast Asia},
  journal = {Nature Climate Change}, volume = 10, pages = {45--67}, year = 2020}
@book{li2017, author = {李明}, title = {湄公河流域水资源管理}, publisher = {科学出版社}, address = {北京}, year = 2017}
`

// citePublication writes a publication of two chapters in both
// languages that cite refs.bib; extra is added to the English first
// chapter.
func citePublication(t *testing.T, extra string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"publication.yaml": "id: cites\nkind: policy-study\nyear: 2013\ndate: \"2013-01-01\"\ntitle: {en: Cites, zh: 引用}\nchapters: [one, two]\nbibliography: [refs.bib]\n",
		"refs.bib":         citeBib,
		"en/one.md":        "---\npublication: cites\nchapter: one\nlang: en\ntitle: One\nauthors: [A]\n---\nMangroves are lost [@unep2019, p. 45]. @smith2020 measured it [see @li2017].\n" + extra,
		"en/two.md":        "---\npublication: cites\nchapter: two\nlang: en\ntitle: Two\nauthors: [A]\n---\nNo citation here.\n",
		"zh/one.md":        "---\npublication: cites\nchapter: one\nlang: zh\ntitle: 一\nauthors: [A]\ntranslated_from: sha256:" + strings.Repeat("0", 64) + "\n---\n红树林正在消失[@unep2019, p. 45]。@smith2020 做了测量[参见 @li2017]。\n",
		"zh/two.md":        "---\npublication: cites\nchapter: two\nlang: zh\ntitle: 二\nauthors: [A]\ntranslated_from: sha256:" + strings.Repeat("0", 64) + "\n---\n此处没有引用。\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCitationsInPDF: citations print in each edition's style, each
// chapter that cites ends with its reference list (only the works it
// cites), DOIs print, and the bibliography is an input of the build.
func TestCitationsInPDF(t *testing.T) {
	needTool(t, "pdftotext")
	dir := citePublication(t, "")
	res, err := Run(context.Background(), Request{Dir: dir, Options: testOptions()})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Report.OK() {
		t.Fatalf("preflight: %s", res.Report.Text())
	}
	en, zh := bodyText(t, res.Outputs[0].PDF), bodyText(t, res.Outputs[1].PDF)
	for _, want := range []string{
		"Mangroves are lost (UNEP 2019, p. 45). Smith et al. (2020) measured it (see 李明 2017).",
		"References",
		"李明 (2017). 湄公河流域水资源管理. 北京: 科学出版社.",
		"Smith, J., Jones, K. and Lee, M. (2020). Mangrove loss in Southeast Asia. Nature Climate Change, 10, 45–67.",
		"UNEP (2019). Global Environment Outlook 6. Cambridge: Cambridge University Press. https://doi.org/10.1017/9781108627146",
	} {
		if !strings.Contains(en, squeeze(want)) {
			t.Errorf("the English edition lacks %q", want)
		}
	}
	if two := strings.Index(en, squeeze("No citation here.")); two < 0 || strings.Contains(en[two:], squeeze("References")) {
		t.Errorf("chapter two, which cites nothing, has a reference list")
	}
	for _, want := range []string{
		"红树林正在消失（UNEP，2019：45）。Smith et al.（2020）做了测量（参见 李明，2017）。",
		"参考文献",
		"李明, 2017. 湄公河流域水资源管理[M]. 北京: 科学出版社.",
		"SMITH J, JONES K, LEE M, 2020. Mangrove loss in Southeast Asia[J]. Nature Climate Change, 10: 45-67.",
	} {
		if !strings.Contains(zh, squeeze(want)) {
			t.Errorf("the Chinese edition lacks %q", want)
		}
	}
	found := false
	for _, in := range res.Manifest.Inputs {
		found = found || in.Kind == "bibliography" && in.Item == "refs" && len(in.SHA256) == 64
	}
	if !found {
		t.Errorf("the bibliography is not an input: %+v", res.Manifest.Inputs)
	}
}

// TestUnknownCitation: a key no bibliography has is an error of the
// preflight (and so of validate) at its line; a broken bibliography is
// reported at its own line.
func TestUnknownCitation(t *testing.T) {
	dir := citePublication(t, "\nAnd [@smit2020].\n")
	res, err := Run(context.Background(), Request{Dir: dir, Options: testOptions()})
	if err == nil || res == nil {
		t.Fatalf("an unknown key passed: %v", err)
	}
	text := res.Report.Text()
	if !strings.Contains(text, `one.md:10: citation of "smit2020", which no bibliography of the publication has`) || !strings.Contains(text, "did you mean @smith2020?") {
		t.Errorf("report:\n%s", text)
	}
	os.WriteFile(filepath.Join(dir, "refs.bib"), []byte(citeBib+"\n@book{broken,\n title = {Open\n"), 0o644)
	res, _ = Run(context.Background(), Request{Dir: dir, Options: testOptions()})
	if text := res.Report.Text(); !strings.Contains(text, "refs.bib:9: entry \"broken\" is not closed") && !strings.Contains(text, "refs.bib:10: a { is never closed") {
		t.Errorf("a broken bibliography:\n%s", text)
	}
}

// TestReferencesOnceInBook: with references: book in the template, the
// works cited anywhere are listed once, in a chapter after the last.
func TestReferencesOnceInBook(t *testing.T) {
	needTool(t, "pdftotext")
	tfs := fstest.MapFS{}
	fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := fs.ReadFile(templates.FS, p)
			if p == "outlook.yaml" {
				data = []byte(strings.Replace(string(data), "\nlabels:", "\nreferences: book\nlabels:", 1))
			}
			tfs[p] = &fstest.MapFile{Data: data}
		}
		return nil
	})
	dir := citePublication(t, "")
	opt := testOptions()
	opt.Templates = tfs
	res, err := Run(context.Background(), Request{Dir: dir, Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	en := bodyText(t, res.Outputs[0].PDF)
	two := strings.Index(en, squeeze("No citation here."))
	refs := strings.LastIndex(en, squeeze("UNEP (2019). Global Environment Outlook 6."))
	if two < 0 || refs < two {
		t.Errorf("the list is not after the last chapter (%d, %d)", two, refs)
	}
}

// TestReferencesGolden compares the text of the sample Outlook's
// reference lists, in both editions, and the citations that lead to them
// with golden files (go test -run ReferencesGolden ./pipeline/build/
// -update rewrites them after a deliberate change): 16 works, each in the
// style of its edition, in each chapter's list.
func TestReferencesGolden(t *testing.T) {
	_, outs := buildSamples(t)
	for _, o := range outs["aceo-sample"] {
		heading := map[string]string{"en": "References", "zh": "参考文献"}[o.Lang]
		var b strings.Builder
		for i, p := range pageTexts(t, o.PDF, false) {
			lines := strings.Split(p, "\n")
			start := -1
			for k, l := range lines {
				if strings.TrimSpace(l) == heading {
					start = k
					break
				}
			}
			if start < 0 {
				continue
			}
			fmt.Fprintf(&b, "--- page %d\n", i+1)
			for _, line := range lines[start:] {
				if line = strings.TrimSpace(spaces.ReplaceAllString(line, " ")); line != "" {
					b.WriteString(line + "\n")
				}
			}
		}
		got := b.String()
		if strings.Count(got, "--- page") < 6 {
			t.Fatalf("%s: only %d pages with a reference list", o.Lang, strings.Count(got, "--- page"))
		}
		golden(t, filepath.Join("testdata", "golden", "references-"+o.Lang+".txt"), got)
	}
}

// golden compares got with the golden file, or rewrites the file with
// -update (after a deliberate change), reporting the first line that
// differs.
func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) && i < len(wl); i++ {
		if gl[i] != wl[i] {
			t.Fatalf("%s differs at line %d:\n got %q\nwant %q", file, i+1, gl[i], wl[i])
		}
	}
	t.Fatalf("%s differs in length (run with -update after a deliberate change)", file)
}

// TestBoxesGolden compares the text of the pages of the sample Outlook
// that hold its case study box and its first key messages, in both
// editions, with golden files (-update rewrites them).
func TestBoxesGolden(t *testing.T) {
	_, outs := buildSamples(t)
	for _, o := range outs["aceo-sample"] {
		marks := map[string][]string{"en": {"Box 5.1", "Key messages"}, "zh": {"专栏 5.1", "主要信息"}}[o.Lang]
		var b strings.Builder
		seen := map[string]bool{}
		for i, p := range pageTexts(t, o.PDF, false) {
			flat := spaces.ReplaceAllString(p, " ")
			keep := false
			for _, m := range marks {
				if strings.Contains(flat, m) && !seen[m+fmt.Sprint(i)] && (m != marks[1] || !seen[m]) {
					keep = true
					seen[m], seen[m+fmt.Sprint(i)] = true, true
				}
			}
			if !keep {
				continue
			}
			fmt.Fprintf(&b, "--- page %d\n", i+1)
			for _, line := range strings.Split(p, "\n") {
				if line = strings.TrimSpace(spaces.ReplaceAllString(line, " ")); line != "" {
					b.WriteString(line + "\n")
				}
			}
		}
		got := b.String()
		if !strings.Contains(got, marks[0]) || !strings.Contains(got, marks[1]) {
			t.Fatalf("%s: the box pages lack %q: %s", o.Lang, marks, got)
		}
		golden(t, filepath.Join("testdata", "golden", "boxes-"+o.Lang+".txt"), got)
	}
}

// TestImprintIdentifiers: the imprint of each edition gives its own ISBN,
// the publication's DOI, the publisher's address and the licence.
func TestImprintIdentifiers(t *testing.T) {
	_, outs := buildSamples(t)
	want := map[string][]string{
		"en": {"Publisher China-ASEAN Environmental Cooperation Center Beijing, China", "ISBN 978-7-000-00001-8", "DOI https://doi.org/10.5555/aceo-sample-2013", "This publication is available under the CC BY-NC 3.0 IGO licence:"},
		"zh": {"出版者 中国—东盟环境保护合作中心 中国北京", "ISBN 978-7-000-00002-5", "DOI https://doi.org/10.5555/aceo-sample-2013", "本出版物依据 CC BY-NC 3.0 IGO 许可协议发布："},
	}
	for _, o := range outs["aceo-sample"] {
		imprint := spaces.ReplaceAllString(strings.Join(strings.Fields(pageTexts(t, o.PDF, false)[1]), " "), " ")
		for _, w := range want[o.Lang] {
			if !strings.Contains(imprint, w) {
				t.Errorf("%s imprint lacks %q:\n%s", o.Lang, w, imprint)
			}
		}
	}
}

// TestAbbreviationsAndGlossary: the front matter lists the glossary's
// terms the text uses, with their expansions in the edition's language;
// the glossary at the back gives those with a definition; an all-capital
// token the glossary lacks is a warning at its line (not in the reference
// lists).
func TestAbbreviationsAndGlossary(t *testing.T) {
	needTool(t, "pdftotext")
	dir := citePublication(t, "\nThe AMS and the UNFCCC met.\n")
	os.WriteFile(filepath.Join(dir, "glossary.yaml"), []byte("terms:\n  - term: AMS\n    en: ASEAN Member States\n    zh: 东盟成员国\n    definition: {en: The ten members of ASEAN., zh: 东盟的十个成员国。}\n  - term: UNEP\n    en: United Nations Environment Programme\n    zh: 联合国环境规划署\n  - term: GEF\n    en: Global Environment Facility\n    zh: 全球环境基金\n"), 0o644)
	def, _ := os.ReadFile(filepath.Join(dir, "publication.yaml"))
	os.WriteFile(filepath.Join(dir, "publication.yaml"), append(def, "glossary: glossary.yaml\n"...), 0o644)
	res, err := Run(context.Background(), Request{Dir: dir, Options: testOptions()})
	if err != nil {
		t.Fatal(err)
	}
	en := bodyText(t, res.Outputs[0].PDF)
	for _, want := range []string{"Abbreviations AMS ASEAN Member States UNEP United Nations Environment Programme", "Glossary AMS (ASEAN Member States): The ten members of ASEAN."} {
		if !strings.Contains(en, squeeze(want)) {
			t.Errorf("the English edition lacks %q", want)
		}
	}
	if strings.Contains(en, squeeze("Global Environment Facility")) {
		t.Error("a term the text does not use is listed")
	}
	text := res.Report.Text()
	if !strings.Contains(text, "one.md:10: UNFCCC is not in the glossary") || strings.Count(text, "is not in the glossary") != 1 {
		t.Errorf("warnings:\n%s", text)
	}
}

package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/manifest"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
	"github.com/xuri/excelize/v2"
)

// TestChapterPreview: --preview --chapter typesets one chapter, in both
// languages, with no cover or contents; its references to other chapters
// print their numbers in the book (no ??); the report is the chapter's
// own problems; nothing else is made.
func TestChapterPreview(t *testing.T) {
	dir := sampleCopy(t)
	// a problem in another chapter is not this chapter's business
	other := filepath.Join(dir, "en", "04-air-quality.md")
	data, _ := os.ReadFile(other)
	os.WriteFile(other, append(data, "\nSee @tbl:nowhere.\n"...), 0o644)
	res, err := Run(context.Background(), Request{Dir: dir, Preview: true, Chapter: "freshwater", Options: testOptions()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 2 || res.Manifest != nil || res.Files[0].Name != "aceo-sample-freshwater-en.pdf" || res.Files[1].Name != "aceo-sample-freshwater-zh.pdf" {
		t.Fatalf("files %v, manifest %v", names(res.Files), res.Manifest != nil)
	}
	if len(res.Report.Errors) != 0 {
		t.Fatalf("another chapter's error in the report: %v", res.Report.Errors)
	}
	for _, f := range res.Files {
		pages := pageTexts(t, f.Data, false)
		text := squeeze(strings.Join(pages, ""))
		want := map[string][]string{
			"en": {"Chapter3", "Freshwater", "Table3.1", "Table3.2", "(seeChapter6)"},
			"zh": {"第3章", "淡水", "表3.1", "表3.2"},
		}[f.Lang]
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: no %q", f.Name, w)
			}
		}
		for _, no := range []string{"??", "Contents", "目录", "Forestsandbiodiversity", "Airquality"} {
			if strings.Contains(text, no) {
				t.Errorf("%s has %q: more than the chapter", f.Name, no)
			}
		}
		if f.Pages > 8 {
			t.Errorf("%s: %d pages", f.Name, f.Pages)
		}
	}
	// one language; an appendix; the checks on the request
	res, err = Run(context.Background(), Request{Dir: dir, Preview: true, Chapter: "action-plan-status", Options: Options{Templates: testOptions().Templates, Fonts: testFonts, Languages: []string{"zh"}}})
	if err != nil || len(res.Files) != 1 || res.Files[0].Lang != "zh" || !strings.Contains(squeeze(strings.Join(pageTexts(t, res.Files[0].Data, false), "")), "附录A") {
		t.Fatalf("appendix preview: %v", err)
	}
	for _, c := range []struct {
		req  Request
		want string
	}{
		{Request{Dir: dir, Chapter: "freshwater", Options: testOptions()}, "add --preview"},
		{Request{Dir: dir, Preview: true, Chapter: "freshwatr", Options: testOptions()}, `did you mean "freshwater"`},
	} {
		if _, err := Run(context.Background(), c.req); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.req.Chapter, err, c.want)
		}
	}
}

// TestPreviewOneLanguage: a preview of the English edition is made when
// only a Chinese draft is missing.
func TestPreviewOneLanguage(t *testing.T) {
	dir := sampleCopy(t)
	os.Remove(filepath.Join(dir, "zh", "03-freshwater.md"))
	opt := testOptions()
	opt.Languages = []string{"en"}
	res, err := Run(context.Background(), Request{Dir: dir, Preview: true, Options: opt})
	if err != nil {
		t.Fatalf("preview --lang en with a zh draft missing: %v", err)
	}
	if len(res.Outputs) != 1 || res.Outputs[0].Lang != "en" {
		t.Fatalf("outputs %v", res.Outputs)
	}
	for _, p := range res.Report.Errors {
		if p.Lang == "zh" {
			t.Errorf("an English preview reports a zh problem: %v", p)
		}
	}
}

func names(fs []manifest.File) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

// BenchmarkChapterPreview measures aceo build --preview --chapter on the
// sample: load and number the whole publication, typeset one chapter in
// both languages.
func BenchmarkChapterPreview(b *testing.B) {
	dir := sampleCopy(b)
	opt := testOptions()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), Request{Dir: dir, Preview: true, Chapter: "freshwater", Options: opt}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLoadInternalError: a bug met while parsing one draft of a directory
// is an internal error naming the file (exit status 3 on the command
// line), not a problem of the draft among others.
func TestLoadInternalError(t *testing.T) {
	dir := sampleCopy(t)
	bad := filepath.Join(dir, "en", "03-freshwater.md")
	parse := parseDraftFunc
	parseDraftFunc = func(path string, data []byte) (*ms.Chapter, error) {
		if path == bad {
			var m map[string]int
			m[path]++ // a nil map: a bug
		}
		return parse(path, data)
	}
	t.Cleanup(func() { parseDraftFunc = parse })
	_, err := Run(context.Background(), Request{Dir: dir, Options: testOptions()})
	var ie *diag.InternalError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), bad) {
		t.Fatalf("got %v, want an internal error naming %s", err, bad)
	}
	other := filepath.Join(dir, "en", "04-air-quality.md")
	data, _ := os.ReadFile(other)
	if _, err := CheckChapter(context.Background(), Request{Dir: dir, Options: testOptions()}, other, data); !errors.As(err, &ie) {
		t.Fatalf("validate beside the draft: %v", err)
	}
}

// TestQuoteAndListLayout: a quote's bar runs unbroken from its paragraph
// down through the table it holds, and a list item that opens with a
// table has its bullet on the table's header row, not on a line of its
// own above it.
func TestQuoteAndListLayout(t *testing.T) {
	dir := sampleCopy(t)
	file := filepath.Join(dir, "en", "03-freshwater.md")
	data, _ := os.ReadFile(file)
	data = append(data, `
> A quoted paragraph before the table.
>
> Table: A quoted table {#tbl:quoted}
>
> | Country | Value |
> |---|---:|
> | Cambodia | 1.0 |

- | Nation | Amount |
  |---|---:|
  | Cambodia | 1.0 |
- A plain item.
`...)
	os.WriteFile(file, data, 0o644)
	src, err := Load(dir, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := typeset.LoadTemplate(templates.FS, src.Pub.Template)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := src.Edition(tpl, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range ed.Chapters {
		if ch.Meta.Chapter == "freshwater" {
			ed.Chapters = []*ms.Chapter{ch}
		}
	}
	ed.Excerpt = true
	doc, err := typeset.Render(tpl, testFonts, ed)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range doc.Pages {
		var bars []typeset.Item
		var bullet, nation *typeset.Item
		for i, it := range p.Items {
			switch {
			case it.Kind == typeset.RectItem && it.W == 2:
				bars = append(bars, it)
			case it.Text == "•" && nation == nil:
				bullet = &p.Items[i]
			case strings.HasPrefix(it.Text, "Nation") || len(it.Parts) > 0 && it.Parts[0] == "Nation":
				nation = &p.Items[i]
			}
		}
		if nation == nil {
			continue
		}
		found = true
		if len(bars) < 3 {
			t.Fatalf("%d pieces of quote bar", len(bars))
		}
		sort.Slice(bars, func(i, j int) bool { return bars[i].Y < bars[j].Y })
		for i := 1; i < len(bars); i++ {
			if gap := bars[i].Y - (bars[i-1].Y + bars[i-1].H); gap > 0.5 {
				t.Errorf("the quote bar breaks for %.1f pt at y=%.1f", gap, bars[i-1].Y+bars[i-1].H)
			}
		}
		if bullet == nil || math.Abs(bullet.Y-nation.Y) > 1.5 {
			t.Errorf("bullet at %v, header text at y=%.1f: not on the header row", bullet, nation.Y)
		}
	}
	if !found {
		t.Fatal("the list's table was not laid out")
	}
}

// TestBilingualSources: the Chinese edition prints a dataset's source in
// Chinese (source_zh); without one it prints the English source and the
// preflight warns, at the table, never silently.
func TestBilingualSources(t *testing.T) {
	dir := sampleCopy(t)
	res, err := Run(context.Background(), Request{Dir: dir, Preview: true, Chapter: "freshwater", Options: testOptions()})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Report.Warnings {
		if strings.Contains(w.Message, "source") {
			t.Fatalf("the sample warns: %v", w)
		}
	}
	if zh := squeeze(strings.Join(pageTexts(t, res.Files[1].Data, false), "")); !strings.Contains(zh, "资料来源：aceo样本版示意数据") {
		t.Fatal("the zh edition does not print the Chinese source")
	}
	dict := filepath.Join(dir, "..", "..", "datasets", "aceo-sample", "freshwater.indicators.csv")
	data, _ := os.ReadFile(dict)
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if i := strings.LastIndex(l, ","); i >= 0 {
			l = l[:i] // drop source_zh, the last column
		}
		out = append(out, l)
	}
	os.WriteFile(dict, []byte(strings.Join(out, "\n")), 0o644)
	res, err = Run(context.Background(), Request{Dir: dir, Preview: true, Chapter: "freshwater", Options: testOptions()})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range res.Report.Warnings {
		if w.Lang == "zh" && strings.Contains(w.Message, "the Chinese edition prints the source of WATER_ACCESS in English") && strings.HasSuffix(w.File, filepath.Join("en", "03-freshwater.md")) == false && w.Line > 0 {
			found = true
		}
	}
	if !found {
		t.Fatalf("no warning of an English source in the zh edition: %+v", res.Report.Warnings)
	}
}

// TestFlagMarksAligned: in a column where some values carry a flag mark,
// the values stay right-aligned, the marks in a slot of their own (Table
// 6.1: 435 a over 246.9; ASEAN's 1,202 a over 608.4).
func TestFlagMarksAligned(t *testing.T) {
	needTool(t, "pdftotext")
	dir := sampleCopy(t)
	opt := testOptions()
	opt.Languages = []string{"en"}
	res, err := Run(context.Background(), Request{Dir: dir, Preview: true, Chapter: "climate-adaptation", Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", writeTemp(t, res.Files[0].Data), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	right := map[string]float64{}
	for _, m := range regexp.MustCompile(`<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>`).FindAllStringSubmatch(string(out), -1) {
		if _, seen := right[m[2]]; !seen {
			right[m[2]], _ = strconv.ParseFloat(m[1], 64)
		}
	}
	for _, pair := range [][2]string{{"435", "246.9"}, {"1,202", "608.4"}, {"9,489", "1,962.4"}} {
		a, okA := right[pair[0]]
		b, okB := right[pair[1]]
		if !okA || !okB {
			t.Fatalf("%q or %q not printed", pair[0], pair[1])
		}
		if math.Abs(a-b) > 0.6 {
			t.Errorf("%s ends at %.1f, %s at %.1f: a flag mark pushed the value out of line", pair[0], a, pair[1], b)
		}
	}
}

// TestAnnexHoldsExactValues: the data annex writes each number as the
// dataset holds it (64.4), shown with the report's decimals (64), not the
// printed text parsed back (which stored 64); an aggregate likewise.
func TestAnnexHoldsExactValues(t *testing.T) {
	dir := sampleCopy(t)
	csvFile := filepath.Join(dir, "..", "..", "datasets", "aceo-sample", "freshwater.csv")
	data, _ := os.ReadFile(csvFile)
	edited := strings.Replace(string(data), "WATER_ACCESS,KHM,2010,64,", "WATER_ACCESS,KHM,2010,64.4,", 1)
	if edited == string(data) {
		t.Fatal("the sample row to edit is not there")
	}
	os.WriteFile(csvFile, []byte(edited), 0o644)
	opt := testOptions()
	opt.Languages = []string{"en"}
	res, err := Run(context.Background(), Request{Dir: dir, Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	var annex []byte
	for _, f := range res.Files {
		if strings.HasSuffix(f.Name, ".xlsx") {
			annex = f.Data
		}
	}
	x, err := excelize.OpenReader(bytes.NewReader(annex))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	raw, _ := x.GetRows("Table 3.2", excelize.Options{RawCellValue: true})
	shown, _ := x.GetRows("Table 3.2")
	found := false
	for i, r := range raw {
		if len(r) > 0 && strings.HasPrefix(r[0], "Cambodia") {
			last := len(r) - 1
			if r[last] != "64.4" || shown[i][last] != "64" {
				t.Fatalf("Cambodia 2010: holds %q, shows %q; want 64.4 shown as 64", r[last], shown[i][last])
			}
			found = true
		}
	}
	if !found {
		t.Fatal("no Cambodia row in Table 3.2")
	}
}

// TestDirectoryDraftSizeLimit: a directory build refuses a draft past
// the size a submission may have, before reading it.
func TestDirectoryDraftSizeLimit(t *testing.T) {
	dir := sampleCopy(t)
	big := filepath.Join(dir, "en", "99-huge.md")
	f, _ := os.Create(big)
	f.Truncate(50 << 20) // 50 MB: read, it took 123 s and 2.5 GB
	f.Close()
	_, err := Run(context.Background(), Request{Dir: dir, Preview: true, Options: testOptions()})
	if err == nil || !strings.Contains(err.Error(), "99-huge.md: draft is 52428800 bytes, more than the 2097152 allowed") {
		res, _ := Run(context.Background(), Request{Dir: dir, Preview: true, Options: testOptions()})
		if res == nil || res.Report == nil || !strings.Contains(fmt.Sprint(res.Report.Errors), "draft is 52428800 bytes") {
			t.Fatalf("%v", err)
		}
	}
}

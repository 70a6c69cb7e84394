package build

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/synth"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// TestHyphenation: in the English editions of the sample Outlook and of
// the 40-chapter synthetic publication at most 10% of the justified body
// lines end in a hyphen, never three in a row, and no paragraph ends with
// the tail of a hyphenated word; at most 2% of the lines are stretched to
// more than twice their spaces' stretch (the price of those rules).
func TestHyphenation(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Generate(dir, 40); err != nil {
		t.Fatal(err)
	}
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	for _, d := range []string{"../../chapters/aceo-sample", dir} {
		src, err := Load(d, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		ed, err := src.Edition(tpl, "en")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := typeset.Render(tpl, testFonts, ed)
		if err != nil {
			t.Fatal(err)
		}
		s := doc.Lines
		t.Logf("%s: %+v: %.1f%% hyphenated, %.1f%% loose", src.Pub.ID, s, 100*float64(s.Hyphenated)/float64(s.Body), 100*float64(s.Loose)/float64(s.Body))
		if s.Body < 400 || s.Hyphenated == 0 {
			t.Fatalf("%s: %+v: too few lines, or no hyphenation at all", src.Pub.ID, s)
		}
		if s.Hyphenated*10 > s.Body || s.Runs3 > 0 || s.FinalHyphen > 0 || s.Loose*100 > 2*s.Body {
			t.Errorf("%s: %+v", src.Pub.ID, s)
		}
	}
}

// TestStrandedTables: on the 40-chapter synthetic publication (120
// tables of 11 rows in each edition) and the sample Outlook, no table
// that breaks across pages leaves fewer than four body rows before the
// break.
func TestStrandedTables(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Generate(dir, 40); err != nil {
		t.Fatal(err)
	}
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	for _, d := range []string{dir, "../../chapters/aceo-sample"} {
		src, err := Load(d, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"en", "zh"} {
			ed, err := src.Edition(tpl, lang)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := typeset.Render(tpl, testFonts, ed)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s: %+v", src.Pub.ID, lang, doc.Tables)
			if doc.Tables.Stranded > 0 {
				t.Errorf("%s %s: %d of %d split tables stranded", src.Pub.ID, lang, doc.Tables.Stranded, doc.Tables.Split)
			}
		}
	}
}

// TestViewerShowsTitle: each edition's PDF names its language and asks
// viewers to show its title rather than its file name, and pdfinfo reads
// that title.
func TestViewerShowsTitle(t *testing.T) {
	srcs, outs := buildSamples(t)
	needTool(t, "pdfinfo")
	for _, o := range outs["aceo-sample"] {
		lang := map[string]string{"en": "/Lang (en)", "zh": "/Lang (zh-CN)"}[o.Lang]
		if !bytes.Contains(o.PDF, []byte("/ViewerPreferences << /DisplayDocTitle true >>")) || !bytes.Contains(o.PDF, []byte(lang)) {
			t.Errorf("%s: no DisplayDocTitle or %s in the catalog", o.Lang, lang)
		}
		info, err := exec.Command("pdfinfo", writeTemp(t, o.PDF)).Output()
		if err != nil {
			t.Fatal(err)
		}
		if title := srcs["aceo-sample"].Pub.Title.In(o.Lang); !strings.Contains(string(info), title) {
			t.Errorf("%s: pdfinfo does not read the title %q:\n%s", o.Lang, title, info)
		}
	}
}

package build

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// flatPages is the text of each page with its runs of spaces squeezed and
// its blank lines dropped.
func flatPages(pages []string) []string {
	out := make([]string, len(pages))
	for i, p := range pages {
		var b strings.Builder
		for _, line := range strings.Split(p, "\n") {
			if line = strings.TrimSpace(spaces.ReplaceAllString(line, " ")); line != "" {
				b.WriteString(line + "\n")
			}
		}
		out[i] = b.String()
	}
	return out
}

// TestSummaryForPolicymakers: the sample Outlook's summary for
// policymakers is built on its own in each language (a cover that names
// it, a blank verso, then the summary from page 1) holding the summary
// and nothing of the chapters; it is listed among the build's files; and
// in the book it is a front chapter with a roman folio. The text of the
// summary PDFs is compared with golden files.
func TestSummaryForPolicymakers(t *testing.T) {
	srcs, outs := buildSamples(t)
	src := srcs["aceo-sample"]
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	if src.Pub.SummaryChapter != "summary" {
		t.Fatalf("the sample names summary chapter %q", src.Pub.SummaryChapter)
	}
	files := OutputFiles(src, outs["aceo-sample"], nil)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if want := "aceo-sample-en.pdf aceo-sample-zh.pdf aceo-sample-summary-en.pdf aceo-sample-summary-zh.pdf aceo-sample-contents-en.json aceo-sample-contents-zh.json"; strings.Join(names, " ") != want {
		t.Errorf("files %q, want %q", names, want)
	}
	for _, o := range outs["aceo-sample"] {
		label := tpl.Label(o.Lang, "summary_for_policymakers")
		if o.Summary == nil || o.SummaryPages != 3 {
			t.Fatalf("%s: summary of %d pages", o.Lang, o.SummaryPages)
		}
		pages := flatPages(pageTexts(t, o.Summary, false))
		if !strings.Contains(pages[0], label) || !strings.Contains(squeeze(pages[0]), squeeze(src.Pub.Title.In(o.Lang))) {
			t.Errorf("%s: the cover lacks %q and the title: %s", o.Lang, label, pages[0])
		}
		if strings.TrimSpace(pages[1]) != "" {
			t.Errorf("%s: page 2 is not blank: %s", o.Lang, pages[1])
		}
		key := tpl.Label(o.Lang, "key_messages")
		if !strings.HasPrefix(pages[2], label) || !strings.Contains(pages[2], key) || !strings.HasSuffix(strings.TrimSpace(pages[2]), "\n1") {
			t.Errorf("%s: page 3 is not the summary's first page, numbered 1: %s", o.Lang, pages[2])
		}
		// references to the chapters print their numbers
		if ch := fmt.Sprintf(tpl.Label(o.Lang, "chapter_n"), 2); !strings.Contains(squeeze(pages[2]), squeeze(ch)) {
			t.Errorf("%s: the summary does not refer to %q", o.Lang, ch)
		}
		// nothing of the first chapter
		for _, ch := range o.Edition.Chapters {
			if ch.Number == 1 && strings.Contains(strings.Join(pages, ""), ch.Meta.Title) {
				t.Errorf("%s: the summary holds chapter 1 (%s)", o.Lang, ch.Meta.Title)
			}
		}
		golden(t, filepath.Join("testdata", "golden", "summary-"+o.Lang+".txt"), strings.Join(pages, "--- page\n"))

		// in the book: a front chapter, after the foreword and the
		// acknowledgements, before the contents, on a roman page
		book := flatPages(pageTexts(t, o.PDF, false))
		at := -1
		for i, p := range book {
			if strings.HasPrefix(p, label+"\n") {
				at = i
				break
			}
		}
		contents := tpl.Label(o.Lang, "contents")
		if at < 0 || !strings.Contains(book[at], key) {
			t.Fatalf("%s: no page of the book opens with the summary", o.Lang)
		}
		if !strings.HasSuffix(strings.TrimSpace(book[at]), "\n"+[]string{"", "", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi"}[min(at, 10)]) {
			t.Errorf("%s: the summary is on page %d, not a roman folio: %s", o.Lang, at+1, book[at])
		}
		for _, p := range book[:at] {
			if strings.HasPrefix(p, contents+"\n") {
				t.Errorf("%s: the contents come before the summary", o.Lang)
			}
		}
	}
	// a publication without a summary chapter has no summary PDF
	for _, o := range outs["policy-study-sample"] {
		if o.Summary != nil {
			t.Errorf("policy study %s: a summary PDF", o.Lang)
		}
	}
}

// TestFrontAndBackGolden compares, in both editions of the sample
// Outlook, the text of the imprint (ISBN, DOI, licence), the foreword,
// the acknowledgements, the abbreviations and the glossary with golden
// files (-update rewrites them).
func TestFrontAndBackGolden(t *testing.T) {
	_, outs := buildSamples(t)
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	for _, o := range outs["aceo-sample"] {
		pages := flatPages(pageTexts(t, o.PDF, false))
		heads := map[string]bool{tpl.Label(o.Lang, "abbreviations"): true, tpl.Label(o.Lang, "glossary"): true}
		for _, ch := range o.Edition.Chapters {
			if ch.Front && ch.Meta.Chapter != "summary" {
				heads[ch.Meta.Title] = true
			}
		}
		var b strings.Builder
		found := map[string]bool{}
		for i, p := range pages {
			first, _, _ := strings.Cut(p, "\n")
			if i != 1 && !heads[first] {
				continue
			}
			found[first] = true
			fmt.Fprintf(&b, "--- page %d\n%s", i+1, p)
		}
		if len(found) != len(heads)+1 {
			t.Fatalf("%s: found %v of %v", o.Lang, found, heads)
		}
		for _, want := range []string{"ISBN", "10.5555/aceo-sample-2013"} {
			if !strings.Contains(pages[1], want) {
				t.Errorf("%s: the imprint lacks %q", o.Lang, want)
			}
		}
		golden(t, filepath.Join("testdata", "golden", "front-back-"+o.Lang+".txt"), b.String())
	}
}

package build

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// pageTexts returns the text of each page of pdf, with -layout when
// layout is set.
func pageTexts(t *testing.T, pdf []byte, layout bool) []string {
	t.Helper()
	needTool(t, "pdftotext")
	args := []string{writeTemp(t, pdf), "-"}
	if layout {
		args = append([]string{"-layout"}, args...)
	}
	out, err := exec.Command("pdftotext", args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(out), "\f")
}

// appendixPages returns the text of the pages from the opening of
// Appendix A to the end.
func appendixPages(t *testing.T, o Output, layout bool) []string {
	t.Helper()
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	label := squeeze(fmt.Sprintf(tpl.Label(o.Lang, "appendix_n"), "A"))
	pages := pageTexts(t, o.PDF, layout)
	for i, p := range pages {
		if strings.HasPrefix(squeeze(p), label) {
			return pages[i:]
		}
	}
	t.Fatalf("%s: no page opens %q", o.Lang, label)
	return nil
}

var spaces = regexp.MustCompile("[ \\t\u00a0]+")

// TestAppendixGolden compares the text of the appendix pages of both
// sample editions with the golden files (go test -run AppendixGolden
// ./pipeline/build/ -update rewrites them after a deliberate change).
func TestAppendixGolden(t *testing.T) {
	_, outs := buildSamples(t)
	for _, o := range outs["aceo-sample"] {
		var b strings.Builder
		for i, p := range appendixPages(t, o, false) {
			if strings.TrimSpace(p) == "" {
				continue
			}
			fmt.Fprintf(&b, "--- page %d\n", i+1)
			for _, line := range strings.Split(p, "\n") {
				if line = strings.TrimSpace(spaces.ReplaceAllString(line, " ")); line != "" {
					b.WriteString(line + "\n")
				}
			}
		}
		file := filepath.Join("testdata", "golden", "appendix-"+o.Lang+".txt")
		if *update {
			if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if got := b.String(); got != string(want) {
			gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
			for i := 0; i < len(gl) || i < len(wl); i++ {
				var g, w string
				if i < len(gl) {
					g = gl[i]
				}
				if i < len(wl) {
					w = wl[i]
				}
				if g != w {
					t.Fatalf("%s appendix text differs from %s at line %d:\n got %q\nwant %q", o.Lang, file, i+1, g, w)
				}
			}
		}
	}
}

// TestAppendixFigures recomputes, from the sample tracker's records, what
// the appendices must say and finds it in both editions: the state of
// every activity in its row of Table A.1, with the overdue mark exactly
// on the flagged ones; the training totals and the share from the least
// developed AMS; a row per country for the focal points.
func TestAppendixFigures(t *testing.T) {
	srcs, outs := buildSamples(t)
	src := srcs["aceo-sample"]
	if len(src.Records) < 40 || src.Register == nil {
		t.Fatalf("%d records loaded", len(src.Records))
	}
	asOf, _ := time.Parse("2006-01-02", src.Pub.AsOf)
	sts := activity.Evaluate(src.Register, src.Records, asOf)
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	// independent sums over the records
	total, ldc, sessions := 0, 0, 0
	for _, r := range src.Records {
		if r.Ref != "2.5.4" || r.Status != "done" || r.Date > src.Pub.AsOf {
			continue
		}
		sessions++
		for code, n := range r.Attendance {
			total += n
			if c, _ := dataset.CountryByCode(code); c.LDC {
				ldc += n
			}
		}
	}
	if total == 0 || sessions < 4 {
		t.Fatalf("sample: %d sessions, %d participants", sessions, total)
	}
	for _, o := range outs["aceo-sample"] {
		w := activity.Words{Lang: o.Lang, Label: func(k string) string { return tpl.Label(o.Lang, k) }}
		pages := appendixPages(t, o, true)
		text := strings.Join(pages, "\n")
		flagged := 0
		for _, st := range sts {
			ref := st.Activity.Ref
			re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(ref) + `\s+(.*)$`)
			m := re.FindStringSubmatch(text)
			if m == nil {
				t.Errorf("%s: no row for %s", o.Lang, ref)
				continue
			}
			row := m[1]
			// the state's first word is on the row's first line
			first := strings.Fields(w.State(st.State))[0]
			if !strings.Contains(row, first) {
				t.Errorf("%s: row %s %q lacks state %q", o.Lang, ref, row, first)
			}
			if strings.Contains(row, "▲") != st.State.Flagged() {
				t.Errorf("%s: row %s %q: overdue mark should be %v", o.Lang, ref, row, st.State.Flagged())
			}
			if st.State.Flagged() {
				flagged++
			}
		}
		if flagged < 2 {
			t.Errorf("sample has only %d flagged activities", flagged)
		}
		flat := squeeze(text)
		pct := activity.Percent(ldc, total)
		for _, want := range []string{fmt.Sprint(total), fmt.Sprintf("%d%%", pct), dataset.FormatNumber(100*float64(ldc)/float64(total), 1)} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s: appendix B lacks %q", o.Lang, want)
			}
		}
		for _, c := range dataset.Countries {
			if !strings.Contains(flat, squeeze(c.Name(o.Lang))) {
				t.Errorf("%s: appendices lack %s", o.Lang, c.Name(o.Lang))
			}
		}
		for _, n := range []string{"A.1", "B.1", "B.2", "C.1", "C.2", "C.3"} {
			if !strings.Contains(flat, squeeze(fmt.Sprintf(tpl.Label(o.Lang, "table_n"), n))) {
				t.Errorf("%s: no table %s", o.Lang, n)
			}
		}
	}
}

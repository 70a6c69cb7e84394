package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestActivityCommands: a tracker with a bad cell is refused with its
// sheet!cell and nothing is stored; the sample tracker is imported once;
// list computes states as of a date, --overdue and --json; update records
// one event, refuses bad fields naming the flag, and stores evidence.
func TestActivityCommands(t *testing.T) {
	root := t.TempDir()
	s := "file://" + root
	records := func() int {
		m, _ := filepath.Glob(filepath.Join(root, "activities", "records", "*.json"))
		return len(m)
	}

	bad := filepath.Join(t.TempDir(), "bad.xlsx")
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "progress")
	f.SetSheetRow("progress", "A1", &[]any{"ref", "date", "status", "KHM"})
	f.SetSheetRow("progress", "A2", &[]any{"1.2.3", "2011-10-21", "done"})
	f.SetSheetRow("progress", "A3", &[]any{"2.5.4", "2012-06-31", "done", 3})
	if err := f.SaveAs(bad); err != nil {
		t.Fatal(err)
	}
	if _, err := aceo(t, s, "activity", "import", bad); err == nil || !strings.Contains(err.Error(), `bad.xlsx progress!B3: "2012-06-31" is not a date; write the date as YYYY-MM-DD`) {
		t.Fatalf("bad tracker: %v", err)
	}
	if n := records(); n != 0 {
		t.Fatalf("%d batches stored from a bad tracker", n)
	}

	tracker := "../../datasets/action-plan-2011-2013/tracker.xlsx"
	if out := must(t)(aceo(t, s, "activity", "import", "--check", tracker)); !strings.Contains(out, "47 records, all valid (nothing stored)") || records() != 0 {
		t.Fatalf("--check: %s (%d batches)", out, records())
	}
	if _, err := aceo(t, s, "activity", "import", "--check", bad); err == nil || !strings.Contains(err.Error(), "progress!B3") {
		t.Fatalf("--check of a bad tracker: %v", err)
	}
	out := must(t)(aceo(t, s, "activity", "import", "--by", "JISE", tracker))
	if !strings.Contains(out, "recorded 47 new or corrected records from tracker.xlsx") {
		t.Fatalf("import: %s", out)
	}
	if out := must(t)(aceo(t, s, "activity", "import", tracker)); !strings.Contains(out, "unchanged") || records() != 1 {
		t.Fatalf("second import: %s (%d batches)", out, records())
	}
	// the tracker re-saved with one more row: only that row is stored, and
	// no count doubles (the Forum used to show "2 of 1 held")
	before := must(t)(aceo(t, s, "activity", "list", "--as-of", "2013-11-15", "--json"))
	wb, err := excelize.OpenFile(tracker)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.GetRows("progress")
	cell, _ := excelize.CoordinatesToCellName(1, len(rows)+1)
	wb.SetSheetRow("progress", cell, &[]any{"4.1.4", "2013-11-01", "in-progress"})
	v2 := filepath.Join(t.TempDir(), "tracker-v2.xlsx")
	if err := wb.SaveAs(v2); err != nil {
		t.Fatal(err)
	}
	wb.Close()
	if out := must(t)(aceo(t, s, "activity", "import", v2)); !strings.Contains(out, "recorded 1 new or corrected records from tracker-v2.xlsx") || !strings.Contains(out, "(47 unchanged)") {
		t.Fatalf("updated tracker: %s", out)
	}
	after := must(t)(aceo(t, s, "activity", "list", "--as-of", "2013-11-15", "--json"))
	if strings.Count(after, `"held"`) != strings.Count(before, `"held"`) || !strings.Contains(after, "1.2.2") {
		t.Fatalf("the states changed beyond the new row")
	}
	recsOut := must(t)(aceo(t, s, "activity", "records", "--json"))
	if strings.Count(recsOut, `"key"`) != 48 {
		t.Fatalf("%d records in effect, want 48", strings.Count(recsOut, `"key"`))
	}
	must(t)(aceo(t, s, "activity", "retract", "4.1.4 2013-11-01 state", "--reason", "entered by mistake"))
	if recsOut := must(t)(aceo(t, s, "activity", "records", "--json")); strings.Count(recsOut, `"key"`) != 47 {
		t.Fatalf("after retract: %d records", strings.Count(recsOut, `"key"`))
	}

	out = must(t)(aceo(t, s, "activity", "list", "--as-of", "2013-11-15", "--overdue"))
	for _, want := range []string{"3.3.2    Overdue", "2.5.4    Partly missed", "2012: 1 of 2 held, missed"} {
		if !strings.Contains(out, want) {
			t.Errorf("--overdue lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "1.2.3") {
		t.Errorf("--overdue lists a met activity:\n%s", out)
	}
	out = must(t)(aceo(t, s, "activity", "list", "--as-of", "2013-11-15", "--lang", "zh"))
	if !strings.Contains(out, "逾期完成") || !strings.Contains(out, "不迟于2012年底") {
		t.Errorf("zh list:\n%s", out)
	}
	// all Chinese: dates, counts and colons
	if !strings.Contains(out, "截至2013年11月15日（共47条记录）") || !strings.Contains(out, "不迟于2011年底：2011年10月21日完成") || !strings.Contains(out, "2011年10月21日 已完成") {
		t.Errorf("zh list is not all Chinese:\n%s", out)
	}
	if m := regexp.MustCompile(`\d{4}-\d{2}-\d{2}|: |records`).FindString(out); m != "" {
		t.Errorf("zh list holds %q:\n%s", m, out)
	}
	state := func(asOf, ref string) string {
		t.Helper()
		out := must(t)(aceo(t, s, "activity", "list", "--as-of", asOf, "--json"))
		var v struct {
			AsOf       string `json:"as_of"`
			Activities []struct{ Ref, State string }
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil || v.AsOf != asOf {
			t.Fatalf("json %v: %s", err, out)
		}
		for _, a := range v.Activities {
			if a.Ref == ref {
				return a.State
			}
		}
		t.Fatalf("no %s in %s", ref, out)
		return ""
	}
	if got := state("2013-11-15", "3.1.3"); got != "met-late" {
		t.Errorf("3.1.3 %s", got)
	}
	if got := state("2012-06-01", "3.1.3"); got != "on-track" {
		t.Errorf("3.1.3 as of 2012-06-01: %s", got)
	}

	evidence := filepath.Join(t.TempDir(), "selection.pdf")
	os.WriteFile(evidence, []byte("%PDF-1.4 selection report"), 0o644)
	out = must(t)(aceo(t, s, "activity", "update", "3.3.2", "--status", "done", "--date", "2013-11-20",
		"--note", "Technologies and companies selected", "--note-zh", "完成技术和企业遴选", "--evidence-file", evidence))
	if !strings.Contains(out, "recorded 3.3.2 done 2013-11-20") || records() != 4 { // import, update of the tracker, retraction, this
		t.Fatalf("update: %s", out)
	}
	if m, _ := filepath.Glob(filepath.Join(root, "activities", "evidence", "*.pdf")); len(m) != 1 {
		t.Fatalf("evidence stored: %q", m)
	}
	if got := state("2013-11-30", "3.3.2"); got != "met-late" {
		t.Errorf("3.3.2 after the update: %s", got)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"2.5.4", "--status", "done", "--date", "2013-11-01", "--attendance", "KHM=3,XXX=2"}, `--attendance XXX: "XXX" is not a country code`},
		{[]string{"9.9", "--status", "done", "--date", "2013-11-01"}, `--REF: "9.9" is not an activity of action-plan-2011-2013`},
		{[]string{"1.2.2", "--status", "held", "--date", "2012-01-01"}, `--status: "held" is not a status`},
		{[]string{"1.2.2", "--status", "done", "--date", "2012-01-01", "--evidence", "ftp://x"}, `--evidence: "ftp://x" is not a link`},
		{[]string{"2.5.4", "--status", "done", "--attendance", "KHM:3"}, "write COUNTRY=NUMBER pairs"},
	} {
		if _, err := aceo(t, s, append([]string{"activity", "update"}, c.args...)...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("update %q: %v, want %q", c.args, err, c.want)
		}
	}
	if n := records(); n != 4 {
		t.Errorf("%d batches after refused updates, want 4", n)
	}
}

// TestBuildAsOf: --as-of moves the date the appendices report at; a bad
// date is refused.
func TestBuildAsOf(t *testing.T) {
	s := "file://" + t.TempDir()
	dir := "../../chapters/aceo-sample"
	if _, err := aceo(t, s, "build", "--as-of", "2012-02-30", "--out", t.TempDir(), dir); err == nil || !strings.Contains(err.Error(), `--as-of "2012-02-30" is not a date`) {
		t.Fatalf("bad --as-of: %v", err)
	}
	out := t.TempDir()
	must(t)(aceo(t, s, "build", "--lang", "en", "--out", out, dir, "--as-of", "2012-06-30"))
	text, err := exec.Command("pdftotext", filepath.Join(out, "aceo-sample-en.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	if !strings.Contains(flat, "Implementation status of the Action Plan as of 30 June 2012") {
		t.Fatal("the status table is not as of 30 June 2012")
	}
	if strings.Contains(flat, "2013 Forum, Nanning") {
		t.Fatal("a record after the as-of date is reported")
	}
}

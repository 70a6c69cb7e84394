package activity

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/aceo-project/aceo/pipeline/store/s3test"
	"github.com/aceo-project/aceo/templates"
)

func TestMain(m *testing.M) { s3test.Main(m) }

var today = time.Date(2013, 11, 15, 0, 0, 0, 0, time.UTC)

// workbook writes rows into sheet "progress" of a new workbook.
func workbook(t *testing.T, sheet string, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", sheet)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func register(t *testing.T) *Register {
	t.Helper()
	reg, err := LoadRegister(templates.FS, "")
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

var head = []any{"ref", "date", "status", "note_en", "note_zh", "event_en", "country", "source", "amount_usd", "KHM", "LAO"}

func TestReadTracker(t *testing.T) {
	reg := register(t)
	dateCell := 41568.0 // 2013-10-21 as a spreadsheet day number (a cell typed as a date)
	data := workbook(t, "Progress", head,
		[]any{"1.2.3", "2011-10-21", "Done", "First Forum", "首届论坛", nil, nil, nil, nil, nil, nil},
		[]any{},
		[]any{"2.5.4", dateCell, "done", nil, nil, "EIA training", nil, nil, nil, 3, 2},
		[]any{"III.1.1", "2011-02-15", "done", "Ministry of Environment", nil, nil, "khm", nil, nil, nil, nil},
		[]any{"III.2.1", "2011-06-01", "in progress", nil, nil, nil, nil, "china", 2500000, nil, nil},
	)
	recs, err := ReadTracker("tracker.xlsx", data, reg, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.Status != "done" || r.Note["en"] != "First Forum" || r.Note["zh"] != "首届论坛" {
		t.Errorf("record 1: %+v", r)
	}
	if r := recs[1]; r.Date != "2013-10-21" || r.Participants() != 5 || r.Attendance["LAO"] != 2 || r.Event["en"] != "EIA training" {
		t.Errorf("record 2: %+v", r)
	}
	if r := recs[2]; r.Country != "KHM" {
		t.Errorf("record 3 country %q", r.Country)
	}
	if r := recs[3]; r.Status != "in-progress" || r.AmountUSD != 2500000 || r.Source != "china" {
		t.Errorf("record 4: %+v", r)
	}
}

// TestTrackerErrors: every problem of a tracker is reported with its
// sheet!cell and what to do, and nothing is returned.
func TestTrackerErrors(t *testing.T) {
	reg := register(t)
	cases := []struct {
		name string
		data []byte
		want []string
	}{
		{"cells", workbook(t, "progress", head,
			[]any{"9.9", "2011-10-21", "done"},
			[]any{"1.2.3", "2011-13-01", "done"},
			[]any{"1.2.3", "2011-10-21", "finished"},
			[]any{"2.5.4", "2012-06-11", "done", nil, nil, nil, nil, nil, nil, "three"},
			[]any{"2.5.4", "2012-06-11", "planned", nil, nil, nil, nil, nil, nil, 3},
			[]any{"III.1.1", "2011-02-15", "done", nil, nil, nil, "XXX"},
			[]any{"III.1.1", "2011-02-15", "done"},
			[]any{"III.2.1", "2011-06-01", "done", nil, nil, nil, nil, "lottery", "lots"},
			[]any{"1.2.3", "2014-01-01", "done"},
			[]any{"1.2.3", 2012, "done"},
			[]any{"1.2.3", "2010-05-01", "done"},
		), []string{
			`tracker.xlsx progress!A2: "9.9" is not an activity of action-plan-2011-2013; use one of the register's references: 1.1, 1.1.3,`,
			`tracker.xlsx progress!B3: "2011-13-01" is not a date; write the date as YYYY-MM-DD`,
			`tracker.xlsx progress!C4: "finished" is not a status; use one of planned, in-progress, done, delayed, cancelled`,
			`tracker.xlsx progress!J5: "three" is not a whole number of participants; give the number of participants from Cambodia, or leave the cell empty`,
			`tracker.xlsx progress!C6: attendance given with status planned; attendance is counted when an event is done; set the status to done`,
			`tracker.xlsx progress!G7: "XXX" is not a country code; use one of BRN, KHM,`,
			`tracker.xlsx progress!I9: "lots" is not a number; give the amount in US dollars as a number`,
			`tracker.xlsx progress!H9: "lottery" is not a funding source of the plan; use one of cooperation-fund,`,
			`tracker.xlsx progress!B10: 2014-01-01 is in the future; record what was done once it is done`,
			// a year typed as a number is not read as 1905
			`tracker.xlsx progress!B11: 2012 is a number, not a date; type a date such as 2012-06-30`,
			`tracker.xlsx progress!B12: 2010-05-01 is before the plan's period, which begins on 2011-01-01`,
		}},
		{"header", workbook(t, "progress", []any{"ref", "when", "status", "XYZ"}, []any{"1.2.3", "2011-10-21", "done"}), []string{
			`tracker.xlsx progress!B1: unknown column "when"; columns are record_id, ref, date, status,`,
			`tracker.xlsx progress!D1: unknown column "XYZ"`,
			`tracker.xlsx progress!E1: no "date" column`,
		}},
		{"no sheet", workbook(t, "data", head), []string{`tracker.xlsx: no sheet named "progress"; a tracker workbook has a sheet progress`}},
		{"empty", workbook(t, "progress", head), []string{`tracker.xlsx: sheet progress has no records`}},
		{"not a workbook", []byte("ref;date;status\n"), []string{`tracker.xlsx: this is a CSV file, not an XLSX workbook`}},
		{"encrypted", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...), []string{`tracker.xlsx: the workbook is protected by a password; remove the password`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			recs, err := ReadTracker("tracker.xlsx", c.data, reg, today)
			if err == nil || recs != nil {
				t.Fatalf("no error, %d records", len(recs))
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestSampleTracker: the sample tracker is valid and gives the states the
// sample Outlook reports.
func TestSampleTracker(t *testing.T) {
	reg := register(t)
	file := filepath.Join("..", "..", "datasets", DefaultPlan, "tracker.xlsx")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := ReadTracker(file, data, reg, today)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]State{}
	for _, s := range Evaluate(reg, recs, today) {
		got[s.Activity.Ref] = s.State
	}
	for ref, want := range map[string]State{"1.2.2": Met, "2.5.4": PartlyMissed, "3.1.3": MetLate, "3.3.2": Overdue, "4.1.4": DueSoon, "1.1.3": Open, "III.1.1": Met} {
		if got[ref] != want {
			t.Errorf("%s: %s, want %s", ref, got[ref].Key(), want.Key())
		}
	}
}

// backends runs fn against the directory store and a bucket of each real
// S3 server (MinIO, SeaweedFS).
func backends(t *testing.T, fn func(t *testing.T, s store.Store)) { s3test.Backends(t, fn) }

// TestLog: batches are stored create-only and read back in the order
// recorded; the same records are not stored twice; evidence is stored by
// content; a batch changed in the store is refused.
func TestLog(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		n := 0
		l := &Log{Store: s, Now: func() time.Time { n++; return today.Add(time.Duration(n) * time.Minute) }}
		a := []Record{{Ref: "1.2.3", Date: "2011-10-21", Status: "done", Note: Text{"en": "First Forum"}}}
		b := []Record{{Ref: "2.5.4", Date: "2012-06-11", Status: "done", Attendance: map[string]int{"KHM": 3}}, {Ref: "3.3.2", Date: "2012-12-20", Status: "delayed"}}
		id1, err := l.Add(ctx, "editor", "aceo activity update", a)
		if err != nil {
			t.Fatal(err)
		}
		id2, err := l.Add(ctx, "editor", "tracker.xlsx", b)
		if err != nil || id2 <= id1 {
			t.Fatalf("second batch %q after %q: %v", id2, id1, err)
		}
		if id, err := l.Add(ctx, "editor", "tracker.xlsx", a); !errors.Is(err, ErrDuplicate) || id != id1 {
			t.Fatalf("duplicate: %q %v", id, err)
		}
		recs, batches, err := l.Records(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(batches) != 2 || batches[1].From != "tracker.xlsx" || batches[0].ID != id1 || len(batches[0].SHA256) != 64 {
			t.Fatalf("batches %+v", batches)
		}
		if len(recs) != 3 || recs[0].Ref != "1.2.3" || recs[2].Ref != "3.3.2" || recs[2].Seq != 2 || recs[1].Attendance["KHM"] != 3 || recs[1].Origin != id2 {
			t.Fatalf("records %+v", recs)
		}
		k1, err := l.AddEvidence(ctx, "report.pdf", []byte("%PDF-1.4 evidence"))
		if err != nil || !strings.HasPrefix(k1, EvidencePrefix) || !strings.HasSuffix(k1, ".pdf") {
			t.Fatalf("evidence %q: %v", k1, err)
		}
		if k2, err := l.AddEvidence(ctx, "copy.pdf", []byte("%PDF-1.4 evidence")); err != nil || k2 != k1 {
			t.Fatalf("same evidence again: %q %v", k2, err)
		}
		if _, err := l.AddEvidence(ctx, "run.exe", []byte("MZ")); err == nil {
			t.Fatal("an executable was accepted as evidence")
		}
		// a batch rewritten behind aceo's back is refused
		key := RecordsPrefix + id1 + ".json"
		rc, _, err := s.Get(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		forged := bytes.Replace(body, []byte("First Forum"), []byte("Forged note"), 1)
		forgedKey := RecordsPrefix + strings.Replace(id1, id1[:16], "20131116T000000Z", 1) + ".json"
		if _, err := s.Put(ctx, forgedKey, bytes.NewReader(forged), int64(len(forged)), store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := l.Records(ctx); err == nil || !strings.Contains(err.Error(), "changed after it was stored") {
			t.Fatalf("forged batch: %v", err)
		}
	})
}

// TestImportIdempotent: importing the sample tracker twice stores nothing
// the second time and the states do not change (a re-import used to
// double every count: "2 of 1 held"); an updated tracker stores only its
// new row and its corrected row, which replaces the row it corrects; a
// retraction withdraws a record, which stays in the history; two rows of
// the same record in one sheet are refused.
func TestImportIdempotent(t *testing.T) {
	reg := register(t)
	file := filepath.Join("..", "..", "datasets", DefaultPlan, "tracker.xlsx")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := ReadTracker(file, data, reg, today)
	if err != nil {
		t.Fatal(err)
	}
	states := func(recs []Record) string {
		var b strings.Builder
		for _, s := range Evaluate(reg, recs, today) {
			n := 0
			for _, r := range s.Records {
				n += r.Participants()
			}
			fmt.Fprintf(&b, "%s %s %d records %d participants\n", s.Activity.Ref, s.State.Key(), len(s.Records), n)
		}
		return b.String()
	}
	backends(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		n := 0
		l := &Log{Store: s, Now: func() time.Time { n++; return today.Add(time.Duration(n) * time.Minute) }}
		if stored, _, err := l.Import(ctx, "JISE", "tracker.xlsx", recs); err != nil || len(stored) != len(recs) {
			t.Fatalf("first import: %d stored, %v", len(stored), err)
		}
		have, _, _ := l.Records(ctx)
		before := states(have)
		if _, _, err := l.Import(ctx, "JISE", "tracker.xlsx", recs); !errors.Is(err, ErrDuplicate) {
			t.Fatalf("second import: %v", err)
		}
		have, batches, _ := l.Records(ctx)
		if len(batches) != 1 || len(have) != len(recs) || states(have) != before {
			t.Fatalf("after a re-import: %d batches, %d records, states changed:\n%s\nwas\n%s", len(batches), len(have), states(have), before)
		}
		// the tracker updated: one event corrected (its attendance), one row added
		updated := append([]Record(nil), recs...)
		fixed := -1
		for i, r := range updated {
			if r.Ref == "2.5.4" && len(r.Attendance) > 0 {
				c := r
				c.Attendance = map[string]int{}
				for k, v := range r.Attendance {
					c.Attendance[k] = v + 1
				}
				updated[i], fixed = c, i
				break
			}
		}
		updated = append(updated, Record{Ref: "1.2.3", Date: "2013-10-30", Status: "done", Note: Text{"en": "Forum held again"}})
		stored, _, err := l.Import(ctx, "JISE", "tracker-v2.xlsx", updated)
		if err != nil || len(stored) != 2 {
			t.Fatalf("updated tracker: %d stored, %v", len(stored), err)
		}
		have, _, _ = l.Records(ctx)
		if len(have) != len(recs)+1 {
			t.Fatalf("%d records in effect, want %d: a correction must replace its row", len(have), len(recs)+1)
		}
		for _, r := range have {
			if r.Key() == updated[fixed].Key() && r.Participants() != updated[fixed].Participants() {
				t.Fatalf("the corrected row is not the one in effect: %+v", r)
			}
		}
		// withdrawn: out of the states, still in the history
		if _, err := l.Retract(ctx, "JISE", updated[fixed].Key(), "entered for the wrong activity", today); err != nil {
			t.Fatal(err)
		}
		have, batches, _ = l.Records(ctx)
		if len(have) != len(recs) || len(batches) != 3 {
			t.Fatalf("after the retraction: %d records, %d batches", len(have), len(batches))
		}
		for _, r := range have {
			if r.Key() == updated[fixed].Key() {
				t.Fatal("a withdrawn record is still in effect")
			}
		}
		if _, err := l.Retract(ctx, "JISE", "9.9.9 2011-01-01 state", "x", today); err == nil {
			t.Fatal("retracted a record that does not exist")
		}
	})
	// the same record twice in one sheet
	dup := workbook(t, "progress", head,
		[]any{"1.2.3", "2011-10-21", "done", "First Forum", "首届论坛"},
		[]any{"1.2.3", "2011-10-21", "done", "First Forum, again", "首届论坛"})
	if _, err := ReadTracker("tracker.xlsx", dup, reg, today); err == nil || !strings.Contains(err.Error(), "tracker.xlsx progress!A3: this row repeats the record of row 2 (1.2.3 2011-10-21 state)") {
		t.Fatalf("duplicate rows: %v", err)
	}
}

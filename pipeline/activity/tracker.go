package activity

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/xuri/excelize/v2"
)

// TrackerSheet is the sheet of a tracker workbook that holds the records.
const TrackerSheet = "progress"

// MaxTrackerRows bounds the records of one tracker workbook.
const MaxTrackerRows = 20000

// trackerCols are the tracker's columns besides attendance, which has one
// column per country code.
var trackerCols = []string{"record_id", "ref", "date", "status", "lang", "note_en", "note_zh", "event_en", "event_zh", "evidence", "country", "source", "amount_usd"}

// ReadTracker reads progress records from a tracker workbook: a sheet
// "progress" whose first row names the columns (ref, date, status, and
// any of note_en, note_zh, event_en, event_zh, evidence, country, source,
// amount_usd, and a column per country code for attendance), one record
// per row. Every problem is reported with its sheet!cell; nothing is
// returned unless every row is valid.
func ReadTracker(file string, data []byte, reg *Register, today time.Time) ([]Record, error) {
	f, closeFn, err := dataset.OpenWorkbook(file, data)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	sheet := ""
	for _, s := range f.GetSheetList() {
		if strings.EqualFold(s, TrackerSheet) {
			sheet = s
		}
	}
	if sheet == "" {
		return nil, diag.At(file, 0, fmt.Sprintf("no sheet named %q", TrackerSheet), "a tracker workbook has a sheet progress with a row per record")
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, diag.At(file, 0, "sheet "+sheet+" is not readable: "+err.Error(), "save the workbook again as .xlsx")
	}
	defer rows.Close()
	t := &trackerReader{file: file, sheet: sheet, reg: reg, today: today, cols: map[string]int{}, rowOf: map[string]int{}}
	var header []string
	var out []Record
	n := 0
	for rows.Next() {
		n++
		row, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, diag.At(file, 0, "sheet "+sheet+" is not readable: "+err.Error(), "save the workbook again as .xlsx")
		}
		if n == 1 {
			header = row
			if t.header(row); len(t.errs) > 0 {
				return nil, t.errs
			}
			continue
		}
		if blank(row) {
			continue
		}
		if len(out) >= MaxTrackerRows {
			t.at(0, n, fmt.Sprintf("more than %d records", MaxTrackerRows), "split the tracker")
			break
		}
		if r, ok := t.record(row, n); ok {
			r.Seq = len(out)
			out = append(out, r)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, diag.At(file, 0, "sheet "+sheet+" is not readable: "+err.Error(), "save the workbook again as .xlsx")
	}
	if header == nil || (len(out) == 0 && len(t.errs) == 0) {
		return nil, diag.At(file, 0, "sheet "+sheet+" has no records", "add a row per progress record under the header row")
	}
	if err := t.errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// trackerReader reads the rows of a tracker's sheet: its columns, the
// problems found at their cells, and the row of each record's identity.
type trackerReader struct {
	file, sheet string
	reg         *Register
	today       time.Time
	cols        map[string]int // column name or country code -> index
	rowOf       map[string]int // record key -> its row
	errs        diag.List
}

// at records a problem at a cell.
func (t *trackerReader) at(col, row int, msg, hint string) {
	cell, _ := excelize.CoordinatesToCellName(col+1, row)
	t.errs.Add(&diag.Error{File: t.file, Cell: t.sheet + "!" + cell, Msg: msg, Hint: hint})
}

// header reads the column names of the first row.
func (t *trackerReader) header(row []string) {
	for i, h := range row {
		h = strings.TrimSpace(h)
		key := strings.ReplaceAll(strings.ToLower(h), " ", "_") // "record id" is record_id
		if _, ok := dataset.CountryByCode(strings.ToUpper(h)); ok {
			key = strings.ToUpper(h)
		} else if !slices.Contains(trackerCols, key) {
			if h != "" {
				t.at(i, 1, fmt.Sprintf("unknown column %q", h), "columns are "+strings.Join(trackerCols, ", ")+", and one per country code for attendance ("+countryCodes()+")")
			}
			continue
		}
		if _, dup := t.cols[key]; dup {
			t.at(i, 1, fmt.Sprintf("column %q is given twice", h), "keep one")
			continue
		}
		t.cols[key] = i
	}
	for _, req := range []string{"ref", "date", "status"} {
		if _, ok := t.cols[req]; !ok {
			t.at(len(row), 1, fmt.Sprintf("no %q column", req), "name the columns in the first row: ref, date, status, ...")
		}
	}
}

// record reads row n as a record and checks it; ok is false for a row
// that cannot be one (a year typed as a number in the date column).
func (t *trackerReader) record(row []string, n int) (Record, bool) {
	cols := t.cols
	get := func(name string) string {
		if i, ok := cols[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	r := Record{ID: get("record_id"), Lang: strings.ToLower(get("lang")), Ref: get("ref"), Status: get("status"), Evidence: get("evidence"), Country: strings.ToUpper(get("country")), Source: get("source"),
		Origin: fmt.Sprintf("%s %s!row %d", t.file, t.sheet, n)}
	r.Date = get("date")
	if v, err := strconv.ParseFloat(r.Date, 64); err == nil {
		switch {
		case v >= 1900 && v <= 2100 && v == math.Trunc(v):
			// a year typed as a number: as a date it would be 1905
			t.at(cols["date"], n, fmt.Sprintf("%s is a number, not a date", r.Date), fmt.Sprintf("type a date such as %s-06-30", r.Date))
			return r, false
		case v > 20000 && v < 100000:
			// a cell typed as a date holds the spreadsheet's day number
			if d, err := excelize.ExcelDateToTime(v, false); err == nil {
				r.Date = d.Format(dateLayout)
			}
		}
	}
	if s := get("note_en") + get("note_zh"); s != "" {
		r.Note = Text{}
		setText(r.Note, "en", get("note_en"))
		setText(r.Note, "zh", get("note_zh"))
	}
	if s := get("event_en") + get("event_zh"); s != "" {
		r.Event = Text{}
		setText(r.Event, "en", get("event_en"))
		setText(r.Event, "zh", get("event_zh"))
	}
	if s := get("amount_usd"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			t.at(cols["amount_usd"], n, fmt.Sprintf("%q is not a number", s), "give the amount in US dollars as a number")
		} else {
			r.AmountUSD = v
		}
	}
	for _, c := range dataset.Countries {
		i, ok := cols[c.Code]
		if !ok || i >= len(row) || strings.TrimSpace(row[i]) == "" {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSpace(row[i]))
		if err != nil {
			t.at(i, n, fmt.Sprintf("%q is not a whole number of participants", row[i]), "give the number of participants from "+c.EN+", or leave the cell empty")
			continue
		}
		if r.Attendance == nil {
			r.Attendance = map[string]int{}
		}
		r.Attendance[c.Code] = v
	}
	for _, fe := range r.Check(t.reg, t.today) {
		col, ok := cols[fe.Field]
		if !ok {
			col = cols["ref"]
		}
		t.at(col, n, fe.Msg, fe.Hint)
	}
	// one row per record: a second row of the same identity would be
	// taken for a correction of the first
	if first, dup := t.rowOf[r.Key()]; dup {
		t.at(cols["ref"], n, fmt.Sprintf("this row repeats the record of row %d (%s)", first, r.Key()), "keep one row per record, or give each a record_id if both are real")
	} else {
		t.rowOf[r.Key()] = n
	}
	return r, true
}

func setText(t Text, lang, s string) {
	if s != "" {
		t[lang] = s
	}
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

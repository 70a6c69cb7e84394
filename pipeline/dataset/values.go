package dataset

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Limits on what messages quote and what a cell may hold.
const (
	maxQuote    = 60   // characters of a cell a message quotes
	MaxCellText = 2000 // characters of a value, note or other text cell
)

// clip shortens s to what a message quotes: at most 60 characters, and
// an ellipsis when cut.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxQuote {
		return s
	}
	r := []rune(s)
	return string(r[:maxQuote]) + "…"
}

var (
	thousandsRE    = regexp.MustCompile(`^[+-]?\d{1,3}([,  ' ’]\d{3})+(\.\d+)?$`)
	oneCommaRE     = regexp.MustCompile(`^[+-]?\d{1,3},\d{3}$`)
	decimalCommaRE = regexp.MustCompile(`^[+-]?\d+,\d+$`)
	europeanRE     = regexp.MustCompile(`^[+-]?\d{1,3}(\.\d{3})+,\d+$`)
	// what authors type for a missing value
	missingMarks = map[string]bool{"n/a": true, "na": true, "..": true, "...": true, "…": true, "-": true, "–": true, "—": true,
		"x": true, "nd": true, "n.a.": true, "null": true, "none": true, "missing": true}
)

// parseNumber reads a value cell as its author typed it. A cell that is
// not a plain decimal number is refused, with a message and a hint for
// that very mistake: a decimal comma, thousands separators, full-width
// digits, a dash for a minus sign, a percent sign, a hexadecimal number.
// Nothing is converted silently.
func parseNumber(s string) (v float64, msg, hint string, ok bool) {
	q := strconv.Quote(clip(s))
	t := strings.TrimSpace(s)
	low := strings.ToLower(strings.TrimLeft(t, "+-"))
	if strings.HasPrefix(low, "0x") {
		return 0, q + " is a hexadecimal number", "type the value in decimal", false
	}
	if v, err := strconv.ParseFloat(t, 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
		return v, "", "", true
	}
	if ascii, changed := foldWidth(t); changed {
		if _, err := strconv.ParseFloat(ascii, 64); err == nil {
			return 0, q + " is typed in full-width characters", "type it in ASCII: " + ascii, false
		}
	}
	if r, n := utf8.DecodeRuneInString(t); r == '−' || r == '–' || r == '—' || r == '﹣' || r == '－' {
		if _, err := strconv.ParseFloat("-"+t[n:], 64); err == nil {
			return 0, q + " starts with a dash, not a minus sign", "type the minus sign with the hyphen-minus key: -" + t[n:], false
		}
	}
	if rest, found := strings.CutSuffix(t, "%"); found {
		rest = strings.TrimSpace(rest)
		if _, err := strconv.ParseFloat(rest, 64); err == nil {
			return 0, q + " has a percent sign", "type the number alone (" + rest + "): the unit is in the indicator dictionary", false
		}
	}
	switch {
	case oneCommaRE.MatchString(t):
		whole, frac, _ := strings.Cut(t, ",")
		return 0, q + " has a comma", "type " + whole + frac + " if the comma separates thousands, or " + whole + "." + frac + " if it is a decimal comma", false
	case thousandsRE.MatchString(t):
		return 0, q + " has thousands separators", "type it without them: " + strings.NewReplacer(",", "", " ", "", " ", "", " ", "", "'", "", "’", "").Replace(t), false
	case europeanRE.MatchString(t):
		return 0, q + " has thousands separators and a decimal comma", "type it as " + strings.Replace(strings.ReplaceAll(t, ".", ""), ",", ".", 1), false
	case decimalCommaRE.MatchString(t):
		return 0, q + " has a decimal comma", "type it with a decimal point: " + strings.Replace(t, ",", ".", 1), false
	case missingMarks[strings.ToLower(t)]:
		return 0, q + " is not a number", "leave the cell empty for a missing value", false
	}
	return 0, q + " is not a number", "type a number such as 12.5, or leave the cell empty for a missing value", false
}

// foldWidth maps full-width forms (０-９, ．, －, ％, the ideographic
// space ...) to their narrow ASCII forms (golang.org/x/text/width).
func foldWidth(s string) (string, bool) {
	out := width.Narrow.String(s)
	return out, out != s
}

// Excel's serial numbers of 1 January MinYear and 31 December MaxYear:
// a year cell holding one of these holds a date.
var (
	minSerial = excelSerial(time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC))
	maxSerial = excelSerial(time.Date(MaxYear, 12, 31, 0, 0, 0, 0, time.UTC))
)

func excelSerial(t time.Time) float64 {
	return t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
}

var dateRE = regexp.MustCompile(`^(\d{4})[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.](\d{4})$`)

// parseYear reads a year cell: a whole number from MinYear to MaxYear.
// A date (typed, or an Excel date serial), a year in scientific notation
// and a fraction are refused with a hint for each.
func parseYear(s string) (y int, msg, hint string, ok bool) {
	q := strconv.Quote(clip(s))
	t := strings.TrimSpace(s)
	rangeHint := "write a year from " + strconv.Itoa(MinYear) + " to " + strconv.Itoa(MaxYear)
	if m := dateRE.FindStringSubmatch(t); m != nil {
		year := m[1] + m[2]
		return 0, q + " is a date, not a year", "type the year " + year + " as a number", false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.HasPrefix(strings.ToLower(strings.TrimLeft(t, "+-")), "0x") {
		return 0, "year " + q + " is not a number", rangeHint, false
	}
	if f != math.Trunc(f) {
		return 0, "year " + q + " is not a whole year", rangeHint, false
	}
	if strings.ContainsAny(t, "eE") {
		return 0, "year " + q + " is written in scientific notation", "type the year as a number: " + strconv.FormatFloat(f, 'f', -1, 64), false
	}
	if f >= minSerial && f <= maxSerial {
		d := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
		return 0, "this cell holds a date (" + d.Format("2006-01-02") + "), not a year", "type the year " + strconv.Itoa(d.Year()) + " as a number", false
	}
	if f < MinYear || f > MaxYear {
		return 0, "year " + q + " is out of range", rangeHint, false
	}
	return int(f), "", "", true
}

// parseBound reads a min or max of the indicator dictionary: empty for
// the default, "none" for no bound, or a number.
func parseBound(s string) (v float64, set, unbounded, ok bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "":
		return 0, false, false, true
	case "none":
		return 0, true, true, true
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, false, false
	}
	return v, true, false, true
}

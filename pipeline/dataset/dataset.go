// Package dataset reads indicator datasets: a long-form data table
// (indicator, country, year, value, and optional unit, source, note, flag)
// and an indicator dictionary (code, names and units in English and
// Chinese, decimals, source, definition, aggregation), from XLSX or CSV.
// Every problem is reported with its file and cell.
package dataset

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/diag"
)

// Limits on what a dataset may hold.
const (
	MinYear = 1960
	MaxYear = 2100
)

// Flags an observation may carry.
var Flags = []string{"estimate", "provisional", "forecast", "break"}

// Indicator is an entry of the dictionary.
type Indicator struct {
	Code       string
	NameEN     string
	NameZH     string
	UnitEN     string
	UnitZH     string
	Decimals   int
	Source     string // in English
	SourceZH   string // in Chinese; the zh edition prints Source when empty
	Definition string
	// Aggregate says how ASEAN and ASEAN+CHN values are computed from the
	// countries with data: "sum", "mean" (unweighted), "weighted_mean"
	// (weighted by the indicator Weight, population for instance, over
	// the countries with both), or "none" (not to be aggregated).
	Aggregate string
	Weight    string
	weightAt  [2]int // column and row of the weight, for messages
	// Min and Max bound the values (inclusive; ±Inf for none). By default
	// values may not be negative, and a unit in % caps them at 100; the
	// dictionary's min and max columns say otherwise ("none": no bound).
	Min, Max float64
}

// Observation is one value. It is kept small (24 bytes): a dataset may
// hold a million of them. Its indicator and country are indexes into the
// dataset's tables; see Dataset.IndicatorOf and Dataset.CountryOf.
type Observation struct {
	Value   float64
	Row     int32 // row of the data table it was read from
	Extra   int32 // 0: none, else 1 + index in Dataset.Extras
	Year    int16
	Ind     uint16 // index in Dataset.Codes
	Country uint8  // index in Countries
	Flag    uint8  // 0: none, else 1 + index in Flags
	Missing bool   // the value cell was empty
}

// Extra holds the rarely used text of an observation.
type Extra struct {
	Unit, Source, Note string
}

// FlagName is the observation's flag, or "".
func (o Observation) FlagName() string {
	if o.Flag == 0 {
		return ""
	}
	return Flags[o.Flag-1]
}

// Dataset is a validated dataset.
type Dataset struct {
	Name       string
	Indicators map[string]*Indicator
	Obs        []Observation
	Codes      []string // indicator codes, in order of first use
	Extras     []Extra
	// Warnings are problems that do not stop the dataset (formulas whose
	// cached value was used).
	Warnings diag.List

	sheet    string // name of the data table, for cell references
	valueCol int
	csv      bool // read from CSV: Row is a line
}

// Cell is where an observation's value was read, such as "data!D17".
func (d *Dataset) Cell(o Observation) string {
	if d.csv {
		return "line " + strconv.Itoa(int(o.Row))
	}
	return d.sheet + "!" + cellName(d.valueCol, int(o.Row))
}

// IndicatorOf is the observation's indicator code.
func (d *Dataset) IndicatorOf(o Observation) string { return d.Codes[o.Ind] }

// CountryOf is the observation's country.
func (d *Dataset) CountryOf(o Observation) Country { return Countries[o.Country] }

// ExtraOf returns the observation's unit, source and note.
func (d *Dataset) ExtraOf(o Observation) Extra {
	if o.Extra == 0 {
		return Extra{}
	}
	return d.Extras[o.Extra-1]
}

// cols maps the header of a table to column indexes.
type cols map[string]int

var (
	dataCols      = []string{"indicator", "country", "year", "value"}
	dataOptional  = []string{"unit", "source", "note", "flag"}
	indicatorCols = []string{"code", "name_en", "name_zh", "unit_en", "unit_zh", "decimals"}
	indicatorOpt  = []string{"source", "source_zh", "definition", "aggregate", "weight", "min", "max"}
)

// cellName is "A1"-style for 0-based column and 1-based row.
func cellName(col, row int) string {
	name := ""
	for col++; col > 0; col = (col - 1) / 26 {
		name = string(rune('A'+(col-1)%26)) + name
	}
	return name + strconv.Itoa(row)
}

// builder accumulates a dataset from rows, whatever the file format.
type builder struct {
	ctx    context.Context // nil: not cancellable
	file   string
	ds     *Dataset
	errs   diag.List
	codes  map[string]uint16 // indicator code -> index in Dataset.Codes
	strs   map[string]string // interned texts
	maxErr int
	more   int // problems found beyond maxErr, counted not listed
	// pos, for CSV, gives the line and column of a field of the current
	// record: messages name them instead of a spreadsheet cell; fields is
	// how many the record has
	pos    func(field int) (line, col int)
	fields int
	// cur, for a workbook, is the row being read, with its cells'
	// formats; percentCells counts the value cells read as percentages
	cur          *sheetRow
	percentCells int
	percentFirst string
}

// MaxProblems is how many problems of one file are listed; the rest are
// counted.
const MaxProblems = 50

func newBuilder(file, name string) *builder {
	return &builder{file: file, ds: &Dataset{Name: name, Indicators: map[string]*Indicator{}},
		codes: map[string]uint16{}, strs: map[string]string{}, maxErr: MaxProblems}
}

func (b *builder) intern(s string) string {
	if v, ok := b.strs[s]; ok {
		return v
	}
	s = strings.Clone(s)
	b.strs[s] = s
	return s
}

// code returns the index of an indicator code in Dataset.Codes.
func (b *builder) code(s string) uint16 {
	if v, ok := b.codes[s]; ok {
		return v
	}
	v := uint16(len(b.ds.Codes))
	b.ds.Codes = append(b.ds.Codes, strings.Clone(s))
	b.codes[s] = v
	return v
}

func (b *builder) errorf(sheet string, col, row int, hint, format string, args ...any) {
	if len(b.errs) >= b.maxErr {
		b.more++
		return
	}
	e := &diag.Error{File: b.file, Cell: sheet + "!" + cellName(col, row), Msg: fmt.Sprintf(format, args...), Hint: hint}
	if b.pos != nil {
		e.Cell = ""
		if e.Line, e.Col = b.pos(col); e.Line == 0 {
			e.Line = row
		}
	}
	b.errs.Add(e)
}

// header reads a header row into column indexes.
func (b *builder) header(sheet string, row []string, required, optional []string) (cols, bool) {
	if sheet == "data" || strings.EqualFold(sheet, "data") {
		if isWide(row) && !slices.Contains(row, "year") {
			b.errorf(sheet, 0, 1, "aceo reads one row per value (indicator, country, year, value); convert the table with: aceo dataset convert "+b.file+" --indicator CODE",
				"the years are columns of this table (a wide table, as the World Bank and ASEANstats publish them)")
			return nil, false
		}
	}
	c := cols{}
	known := map[string]bool{}
	for _, k := range append(append([]string{}, required...), optional...) {
		known[k] = true
	}
	for i, h := range row {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if h == "" {
			continue
		}
		if !known[h] {
			b.errorf(sheet, i, 1, "the columns are: "+strings.Join(append(append([]string{}, required...), optional...), ", "), "unknown column %q", clip(h))
			continue
		}
		if _, dup := c[h]; dup {
			b.errorf(sheet, i, 1, "keep one column of each name", "column %q appears twice", h)
			continue
		}
		c[h] = i
	}
	ok := true
	for _, r := range required {
		if _, has := c[r]; !has {
			b.errorf(sheet, len(row), 1, "add a column named "+r+" to the header row", "column %q is missing", r)
			ok = false
		}
	}
	return c, ok
}

func get(row []string, c cols, name string) string {
	i, ok := c[name]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// indicatorRow adds a dictionary entry.
func (b *builder) indicatorRow(sheet string, c cols, row []string, n int) {
	code := get(row, c, "code")
	if code == "" {
		if strings.TrimSpace(strings.Join(row, "")) != "" {
			b.errorf(sheet, c["code"], n, "give every indicator a code", "indicator without a code")
		}
		return
	}
	if len(b.ds.Indicators) >= 60000 {
		b.errorf(sheet, c["code"], n, "split the dataset", "more than 60,000 indicators")
		return
	}
	if _, dup := b.ds.Indicators[code]; dup {
		b.errorf(sheet, c["code"], n, "keep one row per indicator", "indicator %q is defined twice", clip(code))
		return
	}
	ind := &Indicator{Code: code, NameEN: get(row, c, "name_en"), NameZH: get(row, c, "name_zh"),
		UnitEN: get(row, c, "unit_en"), UnitZH: get(row, c, "unit_zh"), Source: get(row, c, "source"), SourceZH: get(row, c, "source_zh"),
		Definition: get(row, c, "definition"), Aggregate: strings.ToLower(get(row, c, "aggregate"))}
	for _, f := range []struct{ col, val string }{{"name_en", ind.NameEN}, {"name_zh", ind.NameZH}, {"unit_en", ind.UnitEN}, {"unit_zh", ind.UnitZH}} {
		if f.val == "" {
			b.errorf(sheet, c[f.col], n, "fill it in: tables print it in both editions", "indicator %q has no %s", clip(code), f.col)
		}
	}
	d, err := strconv.Atoi(get(row, c, "decimals"))
	if err != nil || d < 0 || d > 6 {
		b.errorf(sheet, c["decimals"], n, "write a whole number from 0 to 6", "decimals %q is not a number of decimal places", clip(get(row, c, "decimals")))
	}
	ind.Decimals = d
	ind.Weight = get(row, c, "weight")
	switch ind.Aggregate {
	case "":
		ind.Aggregate = "mean"
	case "sum", "mean", "none":
	case "weighted_mean", "weighted mean":
		ind.Aggregate = "weighted_mean"
		if ind.Weight == "" {
			b.errorf(sheet, c["aggregate"], n, "name the indicator that weighs it in the weight column, e.g. POPULATION", "a weighted mean needs a weight")
		}
		ind.weightAt = [2]int{c["weight"], n}
	default:
		b.errorf(sheet, c["aggregate"], n, "write sum, mean, weighted_mean (with a weight) or none", "aggregate %q is not known", clip(ind.Aggregate))
	}
	// the values' bounds: by default none below 0, and none above 100 in %
	ind.Min, ind.Max = 0, math.Inf(1)
	if strings.Contains(ind.UnitEN, "%") {
		ind.Max = 100
	}
	for _, f := range []struct {
		col string
		v   *float64
		inf float64
	}{{"min", &ind.Min, math.Inf(-1)}, {"max", &ind.Max, math.Inf(1)}} {
		v, set, unbounded, ok := parseBound(get(row, c, f.col))
		switch {
		case !ok:
			b.errorf(sheet, c[f.col], n, "write a number, or none for no bound, or leave it empty for the default (not below 0; at most 100 for a unit in %)", "%s %q is not a number", f.col, clip(get(row, c, f.col)))
		case unbounded:
			*f.v = f.inf
		case set:
			*f.v = v
		}
	}
	if ind.Min > ind.Max {
		b.errorf(sheet, c["min"], n, "correct min or max", "min %v is above max %v", ind.Min, ind.Max)
	}
	for _, col := range []string{"name_en", "name_zh", "unit_en", "unit_zh", "source", "source_zh", "definition"} {
		if t := get(row, c, col); utf8.RuneCountInString(t) > MaxCellText {
			b.errorf(sheet, c[col], n, "shorten it: a text that long belongs in the chapter", "this cell holds %d characters, more than the %d allowed", utf8.RuneCountInString(t), MaxCellText)
		}
	}
	b.ds.Indicators[code] = ind
}

// dataRow adds an observation; value is the stored value text.
func (b *builder) dataRow(sheet string, c cols, row []string, n int) {
	ind, country, year, value := get(row, c, "indicator"), get(row, c, "country"), get(row, c, "year"), get(row, c, "value")
	if ind == "" && country == "" && year == "" && value == "" {
		return // blank row
	}
	b.ds.sheet, b.ds.valueCol = sheet, c["value"]
	country = strings.ToUpper(country)
	unit, flag := get(row, c, "unit"), strings.ToLower(get(row, c, "flag"))
	good := true
	def, ok := b.ds.Indicators[ind]
	if !ok {
		b.errorf(sheet, c["indicator"], n, "define it in the indicators table, or correct the code", "unknown indicator %q", clip(ind))
		good = false
	}
	ci := countryIndex(country)
	switch {
	case IsAggregate(country):
		b.errorf(sheet, c["country"], n, "remove the row: aceo computes "+country+" from the countries", "%s is an aggregate; aggregates are computed, never typed in", country)
		good = false
	case ci < 0:
		b.errorf(sheet, c["country"], n, "use an ISO 3166-1 alpha-3 code: "+codes(), "unknown country code %q", clip(get(row, c, "country")))
		good = false
	}
	y, msg, hint, ok := parseYear(year)
	if !ok {
		b.errorf(sheet, c["year"], n, hint, "%s", msg)
		good = false
	}
	o := Observation{Row: int32(n), Year: int16(y)}
	if b.pos != nil {
		o.Row = int32(b.line(0)) // a CSV record is named by its line
	}
	if vc := c["value"]; value != "" && b.cur != nil && vc < len(b.cur.percent) && b.cur.percent[vc] {
		// formatted as a percentage: the cell shows 100 times what it stores
		shown, ok := shiftPercent(value)
		switch {
		case !ok:
		case def != nil && strings.Contains(def.UnitEN, "%"):
			if b.percentCells == 0 {
				b.percentFirst = sheet + "!" + cellName(vc, n)
			}
			b.percentCells++
			value = shown
		case def != nil:
			b.errorf(sheet, vc, n, "format the cell as a number and type the value in "+def.UnitEN, "this cell is formatted as a percentage: it shows %s%%, stored as %s, but the unit of %s is %q", shown, value, ind, def.UnitEN)
			good = false
			value = ""
		}
	}
	if value == "" {
		o.Missing = true
	} else if v, msg, hint, ok := parseNumber(value); !ok {
		b.errorf(sheet, c["value"], n, hint, "%s", msg)
		good = false
	} else {
		o.Value = v
		if def != nil && (v < def.Min || v > def.Max) {
			b.errorf(sheet, c["value"], n, boundHint(def, v), "%s is outside the range of %s (%s): %s", clip(value), ind, def.UnitEN, rangeText(def))
			good = false
		}
	}
	for _, col := range []string{"note", "source", "unit"} {
		if t := get(row, c, col); utf8.RuneCountInString(t) > MaxCellText {
			b.errorf(sheet, c[col], n, "shorten it: a text that long belongs in the chapter", "this cell holds %d characters, more than the %d allowed", utf8.RuneCountInString(t), MaxCellText)
			good = false
		}
	}
	if def != nil && unit != "" && unit != def.UnitEN {
		b.errorf(sheet, c["unit"], n, fmt.Sprintf("the dictionary's unit for %s is %q; convert the value or correct the unit", ind, def.UnitEN), "unit %q does not match the indicator's unit %q", clip(unit), def.UnitEN)
		good = false
	}
	if flag != "" {
		i := indexOf(Flags, flag)
		if i < 0 {
			b.errorf(sheet, c["flag"], n, "use one of: "+strings.Join(Flags, ", "), "flag %q is not known", clip(flag))
			good = false
		}
		o.Flag = uint8(i + 1)
	}
	if !good {
		return
	}
	o.Ind, o.Country = b.code(ind), uint8(ci)
	if src, note := get(row, c, "source"), get(row, c, "note"); unit != "" || src != "" || note != "" {
		b.ds.Extras = append(b.ds.Extras, Extra{Unit: b.intern(unit), Source: b.intern(src), Note: strings.Clone(note)})
		o.Extra = int32(len(b.ds.Extras))
	}
	b.ds.Obs = append(b.ds.Obs, o)
}

// line is the line of field i of the current CSV record, 0 for a sheet.
func (b *builder) line(i int) int {
	if b.pos == nil {
		return 0
	}
	l, _ := b.pos(i)
	return l
}

// rangeText says what an indicator's values may be: "from 0 to 100".
func rangeText(def *Indicator) (msg string) {
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch {
	case math.IsInf(def.Min, -1) && math.IsInf(def.Max, 1):
		return "any number"
	case math.IsInf(def.Max, 1):
		return "at least " + num(def.Min)
	case math.IsInf(def.Min, -1):
		return "at most " + num(def.Max)
	}
	return "from " + num(def.Min) + " to " + num(def.Max)
}

// boundHint says what to do about a value outside its indicator's range.
func boundHint(def *Indicator, v float64) (hint string) {
	if v < def.Min && def.Min == 0 {
		return "check the value; if this indicator can be negative (a change, a balance), set min in the dictionary, e.g. -100 for a change in %"
	}
	if v > def.Max && def.Max == 100 && strings.Contains(def.UnitEN, "%") {
		return "a share in % lies between 0 and 100: check the value (a fraction such as 0.445 is typed 44.5), or set max in the dictionary for a growth rate"
	}
	return "check the value, or the indicator's min and max in the dictionary"
}

// sortedCodes lists the dictionary's codes in order.
// SourceIn is the indicator's source in lang, and false when the Chinese
// edition has to print the English source (no source_zh is given).
func (ind *Indicator) SourceIn(lang string) (string, bool) {
	if lang == "zh" && ind.Source != "" {
		if ind.SourceZH == "" {
			return ind.Source, false
		}
		return ind.SourceZH, true
	}
	return ind.Source, true
}

func sortedCodes(m map[string]*Indicator) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func codes() string {
	var cs []string
	for _, c := range Countries {
		cs = append(cs, c.Code)
	}
	return strings.Join(cs, ", ")
}

// duplicates reports observations given twice: it sorts the indexes of
// the observations by indicator, country and year (4 bytes each, far less
// than a map of a million entries) and compares neighbours.
func (b *builder) duplicates() {
	d := b.ds
	idx := make([]int32, len(d.Obs))
	for i := range idx {
		idx[i] = int32(i)
	}
	key := func(o Observation) uint64 {
		return uint64(o.Ind)<<32 | uint64(o.Country)<<16 | uint64(uint16(o.Year))
	}
	slices.SortFunc(idx, func(x, y int32) int {
		if c := cmp.Compare(key(d.Obs[x]), key(d.Obs[y])); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	for i := 1; i < len(idx); i++ {
		first, o := d.Obs[idx[i-1]], d.Obs[idx[i]]
		if key(first) != key(o) {
			continue
		}
		e := &diag.Error{File: b.file, Cell: d.Cell(o), Hint: "keep one value per indicator, country and year",
			Msg: fmt.Sprintf("duplicate observation of %s for %s in %d (also at %s)", d.Codes[o.Ind], Countries[o.Country].Code, o.Year, d.Cell(first))}
		if d.csv {
			e.Cell, e.Line = "", int(o.Row)
		}
		if len(b.errs) >= b.maxErr {
			b.more++
			continue
		}
		b.errs.Add(e)
	}
}

// done finishes the dataset, or returns the errors. Observations keep the
// order of the file.
func (b *builder) done() (*Dataset, error) {
	for _, code := range sortedCodes(b.ds.Indicators) {
		ind := b.ds.Indicators[code]
		if ind.Aggregate != "weighted_mean" || ind.Weight == "" {
			continue
		}
		w, ok := b.ds.Indicators[ind.Weight]
		switch {
		case !ok:
			b.errs.Add(&diag.Error{File: b.file, Msg: fmt.Sprintf("indicator %s is weighted by %q, which the dictionary does not define", code, clip(ind.Weight)), Hint: "name an indicator of this dataset, e.g. POPULATION, and give its values"})
		case w.Aggregate == "weighted_mean":
			b.errs.Add(&diag.Error{File: b.file, Msg: fmt.Sprintf("indicator %s is weighted by %s, itself a weighted mean", code, ind.Weight), Hint: "weigh by an indicator summed or averaged, such as population"})
		}
	}
	b.duplicates()
	if b.more > 0 {
		b.errs = append(b.errs, &diag.Error{File: b.file, Msg: fmt.Sprintf("and %d more problems", b.more), Hint: "fix these and validate again"})
	}
	if err := b.errs.Err(); err != nil {
		return nil, err
	}
	return b.ds, nil
}

// expect sizes the builder for about n observations.
func (b *builder) expect(n int) {
	if n > 0 {
		b.ds.Obs = make([]Observation, 0, n)
	}
}

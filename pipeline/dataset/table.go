package dataset

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/strictyaml"
	"go.yaml.in/yaml/v4"
)

// TableSpec is the YAML body of an ```aceo-table``` block.
type TableSpec struct {
	Dataset    string   `yaml:"dataset"`
	Indicator  string   `yaml:"indicator"`
	Layout     string   `yaml:"layout"`     // countries-years (default) or indicators-countries
	Indicators []string `yaml:"indicators"` // indicators-countries: the rows
	Countries  []string `yaml:"countries"`  // default: all eleven
	Years      YearSpec `yaml:"years"`      // default: every year with data
	Aggregates []string `yaml:"aggregates"` // ASEAN, ASEAN+CHN
	Sort       string   `yaml:"sort"`       // descending or ascending by the last column; default: the fixed country order
	Label      string   `yaml:"label"`      // tbl:name
	Caption    struct {
		EN string `yaml:"en"`
		ZH string `yaml:"zh"`
	} `yaml:"caption"`
}

// YearSpec is the years of a table: a list ([2000, 2010]), a range
// (2000-2010: the years with data in it), or latest (each country's most
// recent value, with its year).
type YearSpec struct {
	List     []int
	From, To int
	Latest   bool
	bad      string // what was written instead, reported by ParseTableSpec
	line     int    // its line in the block
}

// UnmarshalYAML reads a list, a range or "latest"; anything else is kept
// for ParseTableSpec to report with its line.
func (y *YearSpec) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.SequenceNode:
		return n.Decode(&y.List)
	case yaml.ScalarNode:
		v := strings.TrimSpace(n.Value)
		if v == "latest" {
			y.Latest = true
			return nil
		}
		if a, b, ok := strings.Cut(v, "-"); ok {
			from, e1 := strconv.Atoi(strings.TrimSpace(a))
			to, e2 := strconv.Atoi(strings.TrimSpace(b))
			if e1 == nil && e2 == nil && from <= to {
				y.From, y.To = from, to
				return nil
			}
		} else if one, err := strconv.Atoi(v); err == nil {
			y.List = []int{one}
			return nil
		}
	}
	y.bad, y.line = n.Value, n.Line
	if y.bad == "" {
		y.bad = "(" + n.Tag + ")"
	}
	return nil
}

// resolve gives the years of the columns; available is every year with
// an observation, sorted.
func (y YearSpec) resolve(available []int) []int {
	switch {
	case len(y.List) > 0:
		return y.List
	case y.To > 0:
		var in []int
		for _, v := range available {
			if v >= y.From && v <= y.To {
				in = append(in, v)
			}
		}
		return in
	case y.Latest:
		return nil
	}
	return available
}

// ParseTableSpec reads an aceo-table block that starts at line of file.
func ParseTableSpec(file string, line int, body string) (*TableSpec, error) {
	var s TableSpec
	if err := strictyaml.Decode(file, []byte(body), line+1, &s); err != nil {
		return nil, err
	}
	var errs diag.List
	switch s.Layout {
	case "", "countries-years":
		if s.Dataset == "" || s.Indicator == "" {
			errs.Add(diag.At(file, line, "aceo-table needs a dataset and an indicator", "write dataset: <name> and indicator: <code>"))
		}
		if len(s.Indicators) > 0 {
			errs.Add(diag.At(file, line, "indicators: is for layout: indicators-countries", "write one indicator: <code>, or add layout: indicators-countries"))
		}
	case "indicators-countries":
		if s.Dataset == "" || len(s.Indicators) == 0 || s.Indicator != "" {
			errs.Add(diag.At(file, line, "an indicators-countries table needs a dataset and a list of indicators", "write dataset: <name> and indicators: [<code>, <code>]"))
		}
		if len(s.Years.List) != 1 {
			errs.Add(diag.At(file, line, "an indicators-countries table shows one year", "write years: <year>"))
		}
		if s.Sort != "" {
			errs.Add(diag.At(file, line, "an indicators-countries table has countries as columns and cannot be sorted", "leave sort out"))
		}
	default:
		errs.Add(diag.At(file, line, fmt.Sprintf("layout %q is not known", s.Layout), "write layout: countries-years or layout: indicators-countries"))
	}
	if s.Label != "" && !strings.HasPrefix(s.Label, "tbl:") {
		errs.Add(diag.At(file, line, fmt.Sprintf("label %q is not a table label", s.Label), "write label: tbl:<name>"))
	}
	for _, a := range s.Aggregates {
		if !IsAggregate(a) {
			errs.Add(diag.At(file, line, fmt.Sprintf("aggregate %q is not known", a), "use ASEAN or ASEAN+CHN"))
		}
	}
	for _, c := range s.Countries {
		if countryIndex(c) < 0 {
			errs.Add(diag.At(file, line, fmt.Sprintf("unknown country code %q", c), "use an ISO 3166-1 alpha-3 code: "+codes()))
		}
	}
	if s.Years.bad != "" {
		errs.Add(diag.At(file, line+s.Years.line, fmt.Sprintf("years %q is not a list, a range or latest", s.Years.bad), "write years: [2000, 2010], years: 2000-2010 or years: latest"))
	}
	if s.Years.Latest && len(s.Aggregates) > 0 {
		errs.Add(diag.At(file, line, "aggregates cannot be computed over latest values, which mix years", "give the years, or drop the aggregates"))
	}
	switch s.Sort {
	case "", "descending", "ascending":
	default:
		errs.Add(diag.At(file, line, fmt.Sprintf("sort %q is not known", s.Sort), "write sort: descending or sort: ascending (by the last column), or leave it out for the usual country order"))
	}
	return &s, errs.Err()
}

// TableData is a table ready to set: header, rows of text, and what goes
// with it, in one language.
type TableData struct {
	Caption string
	Header  []string
	Rows    [][]string
	Notes   []string // flags, aggregation method
	Source  string
	// Values holds, parallel to Rows, the number of each cell that shows
	// one, as the dataset holds it (nil for a text cell): the page aligns
	// on it and the data annex writes it, with no round trip through the
	// printed text.
	Values [][]*Value
	// Untranslated names the indicators whose source the zh edition
	// prints in English, their dictionary having no source_zh.
	Untranslated []string
}

// Value is a number of a table: exact, as the dataset holds it (or as an
// aggregate computes it), the decimals it is printed with, and the marks
// of its flags ("a", "a b").
type Value struct {
	V        float64
	Decimals int
	Marks    string
}

// tableRow is a row being made: the text of each cell, and its number.
type tableRow struct {
	cells []string
	vals  []*Value
}

func newRow(first string) *tableRow { return &tableRow{cells: []string{first}, vals: []*Value{nil}} }

// text adds cells of text.
func (r *tableRow) text(ss ...string) {
	for _, s := range ss {
		r.cells = append(r.cells, s)
		r.vals = append(r.vals, nil)
	}
}

// num adds a number, printed with its decimals and followed by marks
// (as flagMarker gives them: no-break space and letter).
func (r *tableRow) num(v float64, decimals int, marks string) {
	r.cells = append(r.cells, FormatNumber(v, decimals)+marks)
	r.vals = append(r.vals, &Value{V: v, Decimals: decimals, Marks: strings.Join(strings.Fields(strings.ReplaceAll(marks, "\u00a0", " ")), " ")})
}

// add puts the row in the table.
func (t *TableData) add(r *tableRow) {
	t.Rows = append(t.Rows, r.cells)
	t.Values = append(t.Values, r.vals)
}

// Labels a table prints, per language.
var tableWords = map[string]map[string]string{
	"en": {"caption": "%s (%s)", "sourceFmt": "Source: %s", "list": ", ", "country": "Country", "indicator": "Indicator", "indicators": "Selected indicators", "of": ": ", "sep": "; ", "year": "Year", "latest": "Latest value", "source": "Source", "missing": "..", "mean": "unweighted mean of the countries with data",
		"sum": "sum of the countries with data", "aggregate": "%s: %s.", "estimate": "estimate", "provisional": "provisional",
		"forecast": "forecast", "break": "break in series",
		"weighted_mean": "mean of the countries with data, weighted by %s",
		"coverage":      "%[1]s, %[2]d: %[3]d of %[4]d countries with data (without %[5]s).",
		"coverageOnly":  "%[1]s, %[2]d: %[3]d of %[4]d countries with data (%[5]s only).",
		"flagged":       "%[1]s, %[2]d: includes flagged values (%[3]s).",
		"flaggedSome":   "%s: %s",
		"flaggedAll":    "all %s",
		"members":       "%s: computed over every member country with data, not only the countries shown."},
	"zh": {"caption": "%s（%s）", "sourceFmt": "资料来源：%s", "list": "、", "country": "国家", "indicator": "指标", "indicators": "主要指标", "of": "：", "sep": "；", "year": "年份", "latest": "最新值", "source": "资料来源", "missing": "..", "mean": "有数据国家的简单平均值",
		"sum": "有数据国家的合计", "aggregate": "%s：%s。", "estimate": "估计值", "provisional": "初步数据",
		"forecast": "预测值", "break": "序列中断",
		"weighted_mean": "有数据国家以%s加权的平均值",
		"coverage":      "%[1]s，%[2]d年：%[4]d个国家中%[3]d个有数据（缺%[5]s）。",
		"coverageOnly":  "%[1]s，%[2]d年：%[4]d个国家中%[3]d个有数据（仅%[5]s）。",
		"flagged":       "%[1]s，%[2]d年：含标注数值（%[3]s）。",
		"flaggedSome":   "%s：%s",
		"flaggedAll":    "均为%s",
		"members":       "%s：按所有有数据的成员国计算，不限于表中所列国家。"},
}

// cellKey finds an observation of one indicator by country and year.
type cellKey struct {
	country uint8
	year    int16
}

// indicatorView is what a table and a chart of one indicator start from.
type indicatorView struct {
	ind       *Indicator
	words     map[string]string // labels in the language
	vals      map[cellKey]Observation
	years     []int    // every year with an observation, missing or not
	dataYears []int    // the years with a value
	countries []string // the spec's, or all eleven
	caption   string   // the spec's in the language, or the indicator's name
	unit      string
	weight    *indicatorView // a weighted mean's weights
}

// view gathers an indicator's observations and labels in lang.
func (d *Dataset) view(indicator string, countries []string, captionEN, captionZH, lang string) (v *indicatorView, err error) {
	ind, ok := d.Indicators[indicator]
	if !ok {
		return nil, fmt.Errorf("dataset %s has no indicator %q", d.Name, indicator)
	}
	v = &indicatorView{ind: ind, words: tableWords[lang], vals: map[cellKey]Observation{}, countries: countries}
	if v.words == nil {
		v.words = tableWords["en"]
	}
	all, withData := map[int]bool{}, map[int]bool{}
	for _, o := range d.Obs {
		if d.Codes[o.Ind] != indicator {
			continue
		}
		v.vals[cellKey{o.Country, o.Year}] = o
		all[int(o.Year)] = true
		if !o.Missing {
			withData[int(o.Year)] = true
		}
	}
	for y := range all {
		v.years = append(v.years, y)
		if withData[y] {
			v.dataYears = append(v.dataYears, y)
		}
	}
	sort.Ints(v.years)
	sort.Ints(v.dataYears)
	if len(v.countries) == 0 {
		for _, c := range Countries {
			v.countries = append(v.countries, c.Code)
		}
	}
	name := ind.NameEN
	v.unit, v.caption = ind.UnitEN, captionEN
	if lang == "zh" {
		name, v.unit, v.caption = ind.NameZH, ind.UnitZH, captionZH
	}
	if v.caption == "" {
		v.caption = name
	}
	if ind.Aggregate == "weighted_mean" && ind.Weight != "" {
		if v.weight, err = d.view(ind.Weight, nil, "", "", lang); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// Table lays out one indicator, countries by years, in lang. Values carry
// the indicator's decimals and thousands separators; a missing value
// prints as "..", a flagged one gets a note mark (a, b, ...).
func (d *Dataset) Table(s *TableSpec, lang string) (*TableData, error) {
	if s.Layout == "indicators-countries" {
		return d.indicatorTable(s, lang)
	}
	v, err := d.view(s.Indicator, s.Countries, s.Caption.EN, s.Caption.ZH, lang)
	if err != nil {
		return nil, err
	}
	ind, words, vals, countries, caption, unit := v.ind, v.words, v.vals, v.countries, v.caption, v.unit
	years := s.Years.resolve(v.years)
	t := &TableData{Caption: fmt.Sprintf(words["caption"], caption, unit), Header: []string{words["country"]}}
	if s.Years.Latest {
		t.Header = append(t.Header, words["year"], words["latest"])
	}
	for _, y := range years {
		t.Header = append(t.Header, strconv.Itoa(y))
	}
	mark := flagMarker(words, &t.Notes)
	// each country's values in column order (nil: none), sorted before
	// any is printed so that flag marks run a, b, ... down the table
	type countryRow struct {
		ci  int
		obs []*Observation
	}
	value := func(ci, y int) *Observation {
		if o, ok := vals[cellKey{uint8(ci), int16(y)}]; ok && !o.Missing {
			return &o
		}
		return nil
	}
	var crs []countryRow
	for _, code := range countries {
		cr := countryRow{ci: countryIndex(code)}
		if s.Years.Latest {
			var last *Observation
			for _, y := range v.dataYears {
				if o := value(cr.ci, y); o != nil {
					last = o
				}
			}
			cr.obs = append(cr.obs, last)
		}
		for _, y := range years {
			cr.obs = append(cr.obs, value(cr.ci, y))
		}
		crs = append(crs, cr)
	}
	if s.Sort != "" && len(crs) > 0 && len(crs[0].obs) > 0 {
		// by the last column; countries without a value go last
		sort.SliceStable(crs, func(i, j int) bool {
			a, b := crs[i].obs[len(crs[i].obs)-1], crs[j].obs[len(crs[j].obs)-1]
			switch {
			case a == nil || b == nil:
				return a != nil && b == nil
			case s.Sort == "ascending":
				return a.Value < b.Value
			}
			return a.Value > b.Value
		})
	}
	for _, cr := range crs {
		row := newRow(Countries[cr.ci].Name(lang))
		for _, o := range cr.obs {
			switch {
			case o == nil && s.Years.Latest:
				row.text(words["missing"], words["missing"])
			case o == nil:
				row.text(words["missing"])
			case s.Years.Latest:
				row.text(strconv.Itoa(int(o.Year)))
				row.num(o.Value, ind.Decimals, mark(o.Flag))
			default:
				row.num(o.Value, ind.Decimals, mark(o.Flag))
			}
		}
		t.add(row)
	}
	if len(s.Aggregates) > 0 && ind.Aggregate == "none" {
		return nil, fmt.Errorf("indicator %s is not to be aggregated (aggregate: none in its dictionary); leave aggregates out of the table", s.Indicator)
	}
	for _, a := range s.Aggregates {
		row := newRow(aggregateName(a, lang))
		for _, y := range years {
			v.aggregateCell(row, v.aggregate(a, y), mark)
		}
		t.add(row)
	}
	if len(s.Aggregates) > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf(words["aggregate"], strings.Join(aggregateNames(s.Aggregates, lang), words["list"]), v.method(lang)))
		yearNotes, members := coverageNotes(v, s.Aggregates, years, countries, lang)
		t.Notes = append(append(t.Notes, yearNotes...), members...)
	}
	src, ok := ind.SourceIn(lang)
	if !ok {
		t.Untranslated = append(t.Untranslated, ind.Code)
	}
	t.Source = fmt.Sprintf(words["sourceFmt"], src)
	return t, nil
}

// indicatorTable lays out several indicators in one year: a row per
// indicator with its unit, a column per country and aggregate.
func (d *Dataset) indicatorTable(s *TableSpec, lang string) (*TableData, error) {
	year := s.Years.List[0]
	var views []*indicatorView
	for _, code := range s.Indicators {
		v, err := d.view(code, s.Countries, "", "", lang)
		if err != nil {
			return nil, err
		}
		views = append(views, v)
	}
	countries, words := views[0].countries, views[0].words
	caption := s.Caption.EN
	if lang == "zh" {
		caption = s.Caption.ZH
	}
	if caption == "" {
		caption = words["indicators"]
	}
	t := &TableData{Caption: fmt.Sprintf(words["caption"], caption, strconv.Itoa(year)), Header: []string{words["indicator"]}}
	for _, c := range countries {
		t.Header = append(t.Header, Countries[countryIndex(c)].Name(lang))
	}
	for _, a := range s.Aggregates {
		t.Header = append(t.Header, aggregateName(a, lang))
	}
	mark := flagMarker(words, &t.Notes)
	var methods, sources, coverage, membersNote []string
	for _, v := range views {
		name := v.caption // the indicator's name, no caption being given
		row := newRow(fmt.Sprintf(words["caption"], name, v.unit))
		for _, c := range countries {
			o, ok := v.vals[cellKey{uint8(countryIndex(c)), int16(year)}]
			if !ok || o.Missing {
				row.text(words["missing"])
				continue
			}
			row.num(o.Value, v.ind.Decimals, mark(o.Flag))
		}
		for _, a := range s.Aggregates {
			if v.ind.Aggregate == "none" {
				row.text(words["missing"])
				continue
			}
			v.aggregateCell(row, v.aggregate(a, year), mark)
		}
		t.add(row)
		methods = append(methods, name+words["of"]+v.method(lang))
		if len(s.Aggregates) > 0 && v.ind.Aggregate != "none" {
			years, members := coverageNotes(v, s.Aggregates, []int{year}, countries, lang)
			for _, n := range years {
				coverage = append(coverage, name+words["of"]+n) // which indicator's
			}
			if len(members) > 0 && !slices.Contains(membersNote, members[0]) {
				membersNote = append(membersNote, members...)
			}
		}
		src, ok := v.ind.SourceIn(lang)
		if !ok {
			t.Untranslated = append(t.Untranslated, v.ind.Code)
		}
		if !slices.Contains(sources, src) {
			sources = append(sources, src)
		}
	}
	if len(s.Aggregates) > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf(words["aggregate"], strings.Join(aggregateNames(s.Aggregates, lang), words["list"]), strings.Join(methods, words["sep"])))
		t.Notes = append(t.Notes, coverage...)
		t.Notes = append(t.Notes, membersNote...)
	}
	t.Source = fmt.Sprintf(words["sourceFmt"], strings.Join(sources, words["sep"]))
	return t, nil
}

// flagMarker gives the mark that follows a flagged value (" a", " b", ...
// after a no-break space
// in order of first use; "" for no flag) and adds each mark's note to
// notes the first time.
func flagMarker(words map[string]string, notes *[]string) func(flag uint8) string {
	marks := map[uint8]string{}
	return func(f uint8) string {
		if f == 0 {
			return ""
		}
		m, ok := marks[f]
		if !ok {
			m = string(rune('a' + len(marks)))
			marks[f] = m
			*notes = append(*notes, m+" "+words[Flags[f-1]])
		}
		return "\u00a0" + m // never parted from its number
	}
}

// aggResult is an aggregate of one year: its value, which members had
// data, and the flags of the values it includes.
type aggResult struct {
	value   float64
	ok      bool    // some member had data
	members int     // countries of the aggregate
	missing []uint8 // members without data (indexes in Countries)
	with    []uint8 // members with data
	flags   []uint8 // the distinct flags of the values included
	flagged []flaggedValue
}

// flaggedValue is a member's flagged value inside an aggregate.
type flaggedValue struct {
	country uint8
	flag    uint8
}

// aggregate computes an aggregate (ASEAN or ASEAN+CHN) of the indicator
// in year y by its method, over the members with data (with a weight,
// for a weighted mean: the members with both).
func (v *indicatorView) aggregate(code string, y int) aggResult {
	var r aggResult
	sum, wsum := 0.0, 0.0
	n := 0
	for ci, c := range Countries {
		if !c.AMS && code != "ASEAN+CHN" {
			continue
		}
		r.members++
		o, ok := v.vals[cellKey{uint8(ci), int16(y)}]
		w := 1.0
		if ok && !o.Missing && v.weight != nil {
			wo, wok := v.weight.vals[cellKey{uint8(ci), int16(y)}]
			if !wok || wo.Missing {
				ok = false
			} else {
				w = wo.Value
			}
		}
		if !ok || o.Missing {
			r.missing = append(r.missing, uint8(ci))
			continue
		}
		sum += o.Value * w
		wsum += w
		n++
		r.with = append(r.with, uint8(ci))
		if o.Flag != 0 {
			if !slices.Contains(r.flags, o.Flag) {
				r.flags = append(r.flags, o.Flag)
			}
			r.flagged = append(r.flagged, flaggedValue{uint8(ci), o.Flag})
		}
	}
	switch {
	case n == 0 || v.weight != nil && wsum == 0:
	case v.ind.Aggregate == "sum":
		r.value, r.ok = sum, true
	default:
		r.value, r.ok = sum/wsum, true
	}
	return r
}

// aggregateCell adds an aggregate to a row, with the marks of the flags
// of the values it includes.
func (v *indicatorView) aggregateCell(row *tableRow, r aggResult, mark func(uint8) string) {
	if !r.ok {
		row.text(v.words["missing"])
		return
	}
	marks := ""
	for _, f := range r.flags {
		marks += mark(f)
	}
	row.num(r.value, v.ind.Decimals, marks)
}

// method says how the indicator's aggregates are computed, in the view's
// language.
func (v *indicatorView) method(lang string) string {
	if v.weight != nil {
		name := v.weight.ind.NameEN
		if lang == "zh" {
			name = v.weight.ind.NameZH
		}
		return fmt.Sprintf(v.words["weighted_mean"], name)
	}
	return v.words[v.ind.Aggregate]
}

// coverageNotes says, for each aggregate and year where members lack
// data, how many had data and which did not, and, when the table shows
// only some countries, that the aggregates cover all members.
func coverageNotes(v *indicatorView, aggs []string, years []int, shown []string, lang string) (notes, members []string) {
	names := func(idx []uint8) string {
		var out []string
		for _, ci := range idx {
			out = append(out, Countries[ci].Name(lang))
		}
		return strings.Join(out, v.words["list"])
	}
	for _, a := range aggs {
		for _, y := range years {
			r := v.aggregate(a, y)
			if r.ok && len(r.flagged) > 0 {
				// which flagged values it includes, by flag
				var parts []string
				for _, fl := range r.flags {
					var who []uint8
					for _, f := range r.flagged {
						if f.flag == fl {
							who = append(who, f.country)
						}
					}
					if len(who) == len(r.with) {
						parts = append(parts, fmt.Sprintf(v.words["flaggedAll"], v.words[Flags[fl-1]]))
					} else {
						parts = append(parts, fmt.Sprintf(v.words["flaggedSome"], v.words[Flags[fl-1]], names(who)))
					}
				}
				notes = append(notes, fmt.Sprintf(v.words["flagged"], aggregateName(a, lang), y, strings.Join(parts, v.words["sep"])))
			}
			if !r.ok || len(r.missing) == 0 {
				continue
			}
			if with := r.members - len(r.missing); with < len(r.missing) {
				// few with data: name them rather than the many without
				notes = append(notes, fmt.Sprintf(v.words["coverageOnly"], aggregateName(a, lang), y, with, r.members, names(r.with)))
			} else {
				notes = append(notes, fmt.Sprintf(v.words["coverage"], aggregateName(a, lang), y, with, r.members, names(r.missing)))
			}
		}
	}
	if len(aggs) > 0 {
		n := 0
		for _, c := range Countries {
			if c.AMS || slices.Contains(aggs, "ASEAN+CHN") {
				n++
			}
		}
		if len(shown) < n {
			members = append(members, fmt.Sprintf(v.words["members"], strings.Join(aggregateNames(aggs, lang), v.words["list"])))
		}
	}
	return notes, members
}

func aggregateName(code, lang string) string {
	if code == "ASEAN+CHN" {
		return Aggregates[1].Name(lang)
	}
	return Aggregates[0].Name(lang)
}

func aggregateNames(codes []string, lang string) []string {
	var out []string
	for _, c := range codes {
		for _, a := range Aggregates {
			if a.Code == c {
				out = append(out, a.Name(lang))
			}
		}
	}
	return out
}

// FormatNumber prints v with the given decimals and thousands separators:
// 1354 -> "1,354", 57.25 with 1 decimal -> "57.3" (half away from zero).
func FormatNumber(v float64, decimals int) string {
	p := math.Pow(10, float64(decimals))
	r := math.Round(v*p) / p
	s := strconv.FormatFloat(math.Abs(r), 'f', decimals, 64)
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	if r < 0 {
		b.WriteString("−")
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + frac
}

// ChartSpec is the YAML body of an ```aceo-chart``` block.
type ChartSpec struct {
	Type      string   `yaml:"type"` // bar or line
	Dataset   string   `yaml:"dataset"`
	Indicator string   `yaml:"indicator"`
	Year      int      `yaml:"year"`      // bar: the year compared (default: the latest with data)
	Countries []string `yaml:"countries"` // line: default all; bar: default all
	Label     string   `yaml:"label"`     // fig:name
	Caption   struct {
		EN string `yaml:"en"`
		ZH string `yaml:"zh"`
	} `yaml:"caption"`
}

// chartHints answer the fields of aceo-table that people write in charts.
var chartHints = map[string]string{
	"years":      "a line chart shows every year with data, and a bar chart one year: write year: 2010 (tables take years:)",
	"indicators": "a chart shows one indicator: write indicator: CODE",
}

// ParseChartSpec reads an aceo-chart block that starts at line of file.
func ParseChartSpec(file string, line int, body string) (*ChartSpec, error) {
	var s ChartSpec
	if err := strictyaml.DecodeWith(file, []byte(body), line+1, &s, chartHints); err != nil {
		return nil, err
	}
	var errs diag.List
	if s.Type != "bar" && s.Type != "line" {
		errs.Add(diag.At(file, line, fmt.Sprintf("chart type %q is not known", s.Type), "write type: bar (countries compared for one year) or type: line (a time series)"))
	}
	if s.Dataset == "" || s.Indicator == "" {
		errs.Add(diag.At(file, line, "aceo-chart needs a dataset and an indicator", "write dataset: <name> and indicator: <code>"))
	}
	if s.Label != "" && !strings.HasPrefix(s.Label, "fig:") {
		errs.Add(diag.At(file, line, fmt.Sprintf("label %q is not a figure label", s.Label), "write label: fig:<name>"))
	}
	for _, c := range s.Countries {
		if countryIndex(c) < 0 {
			errs.Add(diag.At(file, line, fmt.Sprintf("unknown country code %q", c), "use an ISO 3166-1 alpha-3 code: "+codes()))
		}
	}
	return &s, errs.Err()
}

// ChartData is a chart's data in one language.
type ChartData struct {
	Caption    string
	Unit       string
	Decimals   int // the indicator's, for values written out
	Categories []string
	X          []string
	Series     []ChartSeries
	Source     string
	// Untranslated is as in TableData.
	Untranslated []string
}

// ChartSeries is one series of a chart.
type ChartSeries struct {
	Name    string
	Values  []float64
	Missing []bool
}

// Chart gathers a chart's data in lang.
func (d *Dataset) Chart(s *ChartSpec, lang string) (*ChartData, error) {
	v, err := d.view(s.Indicator, s.Countries, s.Caption.EN, s.Caption.ZH, lang)
	if err != nil {
		return nil, err
	}
	ind, words, countries, caption, unit, ys := v.ind, v.words, v.countries, v.caption, v.unit, v.dataYears
	value := func(ci, y int) (float64, bool) {
		o, ok := v.vals[cellKey{uint8(ci), int16(y)}]
		return o.Value, ok && !o.Missing
	}
	src, srcOK := ind.SourceIn(lang)
	cd := &ChartData{Caption: caption, Unit: unit, Decimals: ind.Decimals, Source: fmt.Sprintf(words["sourceFmt"], src)}
	if !srcOK {
		cd.Untranslated = []string{ind.Code}
	}
	switch s.Type {
	case "bar":
		year := s.Year
		if year == 0 && len(ys) > 0 {
			year = ys[len(ys)-1]
		}
		ser := ChartSeries{Name: strconv.Itoa(year)}
		for _, code := range countries {
			ci := countryIndex(code)
			val, ok := value(ci, year)
			cd.Categories = append(cd.Categories, Countries[ci].Name(lang))
			ser.Values = append(ser.Values, val)
			ser.Missing = append(ser.Missing, !ok)
		}
		cd.Series = []ChartSeries{ser}
	default:
		for _, y := range ys {
			cd.X = append(cd.X, strconv.Itoa(y))
		}
		for _, code := range countries {
			ci := countryIndex(code)
			ser := ChartSeries{Name: Countries[ci].Name(lang)}
			for _, y := range ys {
				val, ok := value(ci, y)
				ser.Values = append(ser.Values, val)
				ser.Missing = append(ser.Missing, !ok)
			}
			cd.Series = append(cd.Series, ser)
		}
	}
	return cd, nil
}

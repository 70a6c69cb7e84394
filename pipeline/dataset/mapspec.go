package dataset

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/strictyaml"
)

// MapSpec is the YAML body of an ```aceo-map``` block: a choropleth of
// the ASEAN Member States and China for one indicator and year, classed
// by quantiles (Classes of them, 5 by default) or at the given Breaks.
type MapSpec struct {
	Dataset   string    `yaml:"dataset"`
	Indicator string    `yaml:"indicator"`
	Year      int       `yaml:"year"` // default: the latest with data
	Label     string    `yaml:"label"`
	Classes   int       `yaml:"classes"`
	Breaks    []float64 `yaml:"breaks"`
	Caption   struct {
		EN string `yaml:"en"`
		ZH string `yaml:"zh"`
	} `yaml:"caption"`
}

// Limits of a map's classes.
const (
	MinClasses     = 2
	MaxClasses     = 7
	DefaultClasses = 5
)

var mapHints = map[string]string{
	"years":     "a map shows one year: write year: 2010",
	"countries": "a map shows the ten ASEAN Member States and China, each from the dataset",
	"type":      "an aceo-map block is always a choropleth: drop type:",
}

// ParseMapSpec reads an aceo-map block that starts at line of file.
func ParseMapSpec(file string, line int, body string) (*MapSpec, error) {
	var s MapSpec
	if err := strictyaml.DecodeWith(file, []byte(body), line+1, &s, mapHints); err != nil {
		return nil, err
	}
	var errs diag.List
	if s.Dataset == "" || s.Indicator == "" {
		errs.Add(diag.At(file, line, "aceo-map needs a dataset and an indicator", "write dataset: <name> and indicator: <code>"))
	}
	if s.Label != "" && !strings.HasPrefix(s.Label, "fig:") {
		errs.Add(diag.At(file, line, fmt.Sprintf("label %q is not a figure label", s.Label), "write label: fig:<name>"))
	}
	switch {
	case len(s.Breaks) > 0 && s.Classes != 0:
		errs.Add(diag.At(file, line, "a map takes breaks or classes, not both", "keep breaks: (the class limits) or classes: (that many quantile classes)"))
	case len(s.Breaks) > 0:
		if len(s.Breaks) > MaxClasses-1 {
			errs.Add(diag.At(file, line, fmt.Sprintf("%d breaks make more than %d classes", len(s.Breaks), MaxClasses), "give at most six breaks: more classes cannot be told apart"))
		}
		if !sort.Float64sAreSorted(s.Breaks) || hasDuplicate(s.Breaks) {
			errs.Add(diag.At(file, line, "breaks must rise", "write the limits between classes from low to high: breaks: [10, 25, 50]"))
		}
	case s.Classes == 0:
		s.Classes = DefaultClasses
	case s.Classes < MinClasses || s.Classes > MaxClasses:
		errs.Add(diag.At(file, line, fmt.Sprintf("classes: %d is not between %d and %d", s.Classes, MinClasses, MaxClasses), "five classes suit most maps"))
	}
	return &s, errs.Err()
}

func hasDuplicate(b []float64) bool {
	for i := 1; i < len(b); i++ {
		if b[i] == b[i-1] {
			return true
		}
	}
	return false
}

// MapData is a map's data in one language: a value (or none) for each of
// the eleven countries, in the order of Countries.
type MapData struct {
	Caption  string
	Unit     string
	Decimals int
	Year     int
	Codes    []string
	Names    []string
	Values   []float64
	Missing  []bool
	Notes    []string // flagged values, then the source
	// Untranslated is as in TableData.
	Untranslated []string
}

// Map gathers a map's data in lang: the spec's year, or the latest with a
// value for any country.
func (d *Dataset) Map(s *MapSpec, lang string) (*MapData, error) {
	v, err := d.view(s.Indicator, nil, s.Caption.EN, s.Caption.ZH, lang)
	if err != nil {
		return nil, err
	}
	year := s.Year
	if year == 0 {
		if len(v.dataYears) == 0 {
			return nil, fmt.Errorf("indicator %s of dataset %s has no value to map", s.Indicator, d.Name)
		}
		year = v.dataYears[len(v.dataYears)-1]
	}
	md := &MapData{Caption: v.caption, Unit: v.unit, Decimals: v.ind.Decimals, Year: year}
	flagged := map[string][]string{}
	for _, code := range v.countries {
		ci := countryIndex(code)
		o, ok := v.vals[cellKey{uint8(ci), int16(year)}]
		name := Countries[ci].Name(lang)
		md.Codes = append(md.Codes, code)
		md.Names = append(md.Names, name)
		md.Values = append(md.Values, o.Value)
		md.Missing = append(md.Missing, !ok || o.Missing)
		if ok && !o.Missing && o.Flag != 0 {
			flagged[o.FlagName()] = append(flagged[o.FlagName()], name)
		}
	}
	any := false
	for _, m := range md.Missing {
		any = any || !m
	}
	if !any {
		return nil, fmt.Errorf("indicator %s of dataset %s has no value for %d: choose a year with data", s.Indicator, d.Name, year)
	}
	for _, f := range Flags {
		if names := flagged[f]; len(names) > 0 {
			md.Notes = append(md.Notes, fmt.Sprintf(v.words["aggregate"], capitalize(v.words[f]), strings.Join(names, v.words["list"])))
		}
	}
	src, srcOK := v.ind.SourceIn(lang)
	md.Notes = append(md.Notes, fmt.Sprintf(v.words["sourceFmt"], src))
	if !srcOK {
		md.Untranslated = []string{v.ind.Code}
	}
	return md, nil
}

// capitalize upper-cases the first letter of an English word.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-32) + s[1:]
}

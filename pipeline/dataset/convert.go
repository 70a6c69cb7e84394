package dataset

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
)

// Wide tables have a column per year, as the World Bank's World
// Development Indicators and ASEANstats publish them; aceo reads the long
// form (indicator, country, year, value). Convert writes one from the
// other.

var yearHeadRE = regexp.MustCompile(`^\s*(19[6-9]\d|20\d\d|2100)(\s*\[YR\d{4}\])?\s*$`)

// wideYears lists the columns of a header that name years ("1990",
// "2010 [YR2010]"), with the year of each.
func wideYears(header []string) map[int]int {
	out := map[int]int{}
	for i, h := range header {
		if m := yearHeadRE.FindStringSubmatch(h); m != nil {
			y, _ := strconv.Atoi(m[1])
			out[i] = y
		}
	}
	return out
}

// codeRE is what an indicator code may be.
var codeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// isWide reports whether a data table's header names years as columns.
func isWide(header []string) bool { return len(wideYears(header)) >= 2 }

// countryNames maps the names data publishers use to the codes.
var countryNames = func() map[string]string {
	m := map[string]string{}
	for _, c := range Countries {
		m[strings.ToLower(c.EN)] = c.Code
		m[strings.ToLower(c.Code)] = c.Code
		m[c.ZH] = c.Code
	}
	for name, code := range map[string]string{
		"brunei": "BRN", "lao people's democratic republic": "LAO", "laos": "LAO", "lao pdr": "LAO",
		"vietnam": "VNM", "viet nam": "VNM", "burma": "MMR", "china, people's republic of": "CHN",
		"people's republic of china": "CHN", "kampuchea": "KHM",
	} {
		m[name] = code
	}
	return m
}()

// ConvertSummary says what a conversion did.
type ConvertSummary struct {
	Observations int
	Countries    []string // the codes found
	Years        [2]int   // first and last
	Skipped      []string // rows of other countries and groups, by name
}

// Convert reads a wide table (CSV, or the first sheet of an XLSX
// workbook, under the reader's limits) and writes the long form, as CSV,
// for indicator: one row per country and year with a value. Values are
// copied as the file holds them, never reformatted; empty cells and
// "..", the publishers' mark for no data, are left out. Rows of countries
// other than the ten AMS and China (and of groups such as "World") are
// skipped and listed. When the file holds several indicators (an
// "Indicator Code" or "Series Code" column), from names the one to take.
func Convert(file string, data []byte, indicator, from string) ([]byte, ConvertSummary, error) {
	var sum ConvertSummary
	if !codeRE.MatchString(indicator) {
		return nil, sum, fmt.Errorf("--indicator %q: give the indicator's code as the dictionary has it, e.g. FOREST_COVER", indicator)
	}
	rows, err := wideRows(file, data)
	if err != nil {
		return nil, sum, err
	}
	// the header: the first row naming at least two years
	head := -1
	for i, r := range rows {
		if len(wideYears(r)) >= 2 {
			head = i
			break
		}
	}
	if head < 0 {
		return nil, sum, diag.At(file, 0, "no row of the file names years as columns", "convert takes a wide table: a header row with a column per year (1990, 1991, ...) and a row per country")
	}
	header := rows[head]
	years := wideYears(header)
	country, nameCol, indCol := -1, -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "country code", "iso3", "iso code", "code", "country_code":
			country = i
		case "country name", "country", "economy", "country_name":
			nameCol = i
			if country < 0 {
				country = i
			}
		case "indicator code", "series code", "indicator_code":
			indCol = i
		}
	}
	if country < 0 {
		return nil, sum, diag.At(file, head+1, "no country column in the header", "name it Country Code (ISO 3166-1 alpha-3) or Country Name")
	}
	if indCol >= 0 {
		seen := map[string]bool{}
		var codes []string
		for _, r := range rows[head+1:] {
			if indCol < len(r) && r[indCol] != "" && !seen[r[indCol]] {
				seen[r[indCol]] = true
				codes = append(codes, r[indCol])
			}
		}
		switch {
		case from == "" && len(codes) > 1:
			sort.Strings(codes)
			return nil, sum, diag.At(file, 0, fmt.Sprintf("the file holds %d indicators", len(codes)), "name the one to take with --from, one of: "+strings.Join(codes[:min(len(codes), 10)], ", "))
		case from != "" && !seen[from]:
			return nil, sum, diag.At(file, 0, fmt.Sprintf("the file has no indicator %q", from), "check the code in its Indicator Code column")
		}
	}
	var cols []int
	for i := range years {
		cols = append(cols, i)
	}
	sort.Ints(cols)
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	w.Write([]string{"indicator", "country", "year", "value"})
	found := map[string]bool{}
	for _, r := range rows[head+1:] {
		if country >= len(r) || strings.TrimSpace(r[country]) == "" {
			continue
		}
		if indCol >= 0 && from != "" && (indCol >= len(r) || r[indCol] != from) {
			continue
		}
		name := strings.TrimSpace(r[country])
		code, ok := countryNames[strings.ToLower(name)]
		if !ok {
			code, ok = countryNames[name]
		}
		if !ok {
			if nameCol >= 0 && nameCol < len(r) {
				name = strings.TrimSpace(r[nameCol])
			}
			sum.Skipped = append(sum.Skipped, name)
			continue
		}
		found[code] = true
		for _, c := range cols {
			if c >= len(r) {
				continue
			}
			v := strings.TrimSpace(r[c])
			if v == "" || v == ".." || v == "…" {
				continue
			}
			w.Write([]string{indicator, code, strconv.Itoa(years[c]), v})
			sum.Observations++
			if y := years[c]; sum.Years[0] == 0 || y < sum.Years[0] {
				sum.Years[0] = y
			}
			if y := years[c]; y > sum.Years[1] {
				sum.Years[1] = y
			}
		}
	}
	w.Flush()
	for _, c := range Countries {
		if found[c.Code] {
			sum.Countries = append(sum.Countries, c.Code)
		}
	}
	if sum.Observations == 0 {
		return nil, sum, diag.At(file, 0, "no value for the ten ASEAN Member States and China", "check that the file covers them, by ISO code or name")
	}
	return out.Bytes(), sum, nil
}

// wideRows reads every row of a CSV file or of a workbook's first sheet.
func wideRows(file string, data []byte) ([][]string, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		wb, err := openXLSX(file, data)
		if err != nil {
			return nil, err
		}
		first := ""
		for name, part := range wb.sheets {
			if first == "" || part < wb.sheets[first] {
				first = name
			}
		}
		var rows [][]string
		_, err = wb.readRows(wb.names[first], func(r *sheetRow) error {
			rows = append(rows, append([]string(nil), r.cells...))
			return nil
		})
		if err != nil {
			return nil, diag.At(file, 0, "not a readable XLSX workbook: "+err.Error(), "save it again as .xlsx")
		}
		return rows, nil
	}
	if len(data) > MaxFileSize {
		return nil, diag.At(file, 0, fmt.Sprintf("file is %d bytes, more than the %d allowed", len(data), MaxFileSize), "split the dataset")
	}
	if err := checkUTF8(file, data); err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delimiter(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, csvErr(file, err, 0)
		}
		if len(rows) >= MaxRows {
			return nil, diag.At(file, 0, fmt.Sprintf("more than %d rows", MaxRows), "split the file")
		}
		rows = append(rows, rec)
	}
}

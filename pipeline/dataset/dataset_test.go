package dataset

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

const indicatorsCSV = "code,name_en,name_zh,unit_en,unit_zh,decimals,source,definition,aggregate\n" +
	"FOREST,Forest cover,森林覆盖率,% of land area,占陆地面积%,1,FAO,Share of land under forest,mean\n" +
	"CO2,CO2 emissions,二氧化碳排放,Mt,百万吨,0,IEA,Energy-related emissions,sum\n"

const dataCSV = "indicator,country,year,value,unit,source,note,flag\n" +
	"FOREST,VNM,2010,44.5,,,,\n" +
	"FOREST,KHM,2010,57.2,% of land area,FAO FRA 2010,,estimate\n" +
	"FOREST,CHN,2010,,,,,\n" +
	"CO2,CHN,2010,7800,,,,provisional\n"

func TestReadCSV(t *testing.T) {
	semicolons := "\ufeff" + strings.ReplaceAll(dataCSV, ",", ";")
	for name, data := range map[string]string{"comma": dataCSV, "semicolon with BOM": semicolons} {
		t.Run(name, func(t *testing.T) {
			ds, err := ReadCSV("forest", "forest.csv", []byte(data), "forest.indicators.csv", []byte(indicatorsCSV))
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Obs) != 4 || len(ds.Indicators) != 2 || ds.Indicators["CO2"].Aggregate != "sum" || ds.Indicators["FOREST"].Decimals != 1 {
				t.Fatalf("%+v", ds)
			}
			// in the order of the file
			o := ds.Obs[3]
			if ds.IndicatorOf(o) != "CO2" || o.Value != 7800 || o.FlagName() != "provisional" || ds.Cell(o) != "line 5" {
				t.Fatalf("%+v %s", o, ds.Cell(o))
			}
			var chn, khm Observation
			for _, x := range ds.Obs {
				if ds.IndicatorOf(x) == "FOREST" && ds.CountryOf(x).Code == "CHN" {
					chn = x
				}
				if ds.IndicatorOf(x) == "FOREST" && ds.CountryOf(x).Code == "KHM" {
					khm = x
				}
			}
			if !chn.Missing || khm.FlagName() != "estimate" || ds.ExtraOf(khm).Source != "FAO FRA 2010" {
				t.Fatalf("%+v %+v", chn, khm)
			}
		})
	}
}

// TestValidationMessages: one golden message per kind of error.
func TestValidationMessages(t *testing.T) {
	head := "indicator,country,year,value,unit,source,note,flag\n"
	cases := []struct{ name, data, want string }{
		{"not a number", head + "FOREST,VNM,2010,n/a,,,,\n", `forest.csv:2:17: "n/a" is not a number; leave the cell empty for a missing value`},
		{"unknown country", head + "FOREST,XYZ,2010,1,,,,\n", `forest.csv:2:8: unknown country code "XYZ"; use an ISO 3166-1 alpha-3 code: BRN, KHM, IDN, LAO, MYS, MMR, PHL, SGP, THA, VNM, CHN`},
		{"aggregate typed in", head + "FOREST,ASEAN,2010,1,,,,\n", `forest.csv:2:8: ASEAN is an aggregate; aggregates are computed, never typed in; remove the row: aceo computes ASEAN from the countries`},
		{"unknown indicator", head + "FORST,VNM,2010,1,,,,\n", `forest.csv:2:1: unknown indicator "FORST"; define it in the indicators table, or correct the code`},
		{"duplicate", head + "FOREST,VNM,2010,1,,,,\nFOREST,VNM,2010,2,,,,\n", `forest.csv:3: duplicate observation of FOREST for VNM in 2010 (also at line 2); keep one value per indicator, country and year`},
		{"year", head + "FOREST,VNM,1850,1,,,,\n", `forest.csv:2:12: year "1850" is out of range; write a year from 1960 to 2100`},
		{"unit", head + "FOREST,VNM,2010,1,ha,,,\n", `forest.csv:2:19: unit "ha" does not match the indicator's unit "% of land area"`},
		{"flag", head + "FOREST,VNM,2010,1,,,,guess\n", `forest.csv:2:22: flag "guess" is not known; use one of: estimate, provisional, forecast, break`},
		{"missing column", "indicator,country,value\nFOREST,VNM,1\n", `forest.csv:1: column "year" is missing`},
		{"unknown column", "indicator,country,year,value,colour\nFOREST,VNM,2010,1,red\n", `forest.csv:1:30: unknown column "colour"`},
		{"empty", "", `forest.csv: the file is empty`},
		{"no rows", head, `forest.csv:2: the data table has a header but no rows`},
		{"not UTF-8", head + "FOREST,VNM,2010,1,,,caf\xe9,\n", `forest.csv:2: not valid UTF-8 (byte 0xe9)`},
		{"quotes", head + "FOREST,\"VNM,2010,1\n", `forest.csv:2:20: CSV:`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadCSV("forest", "forest.csv", []byte(c.data), "forest.indicators.csv", []byte(indicatorsCSV))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got  %v\nwant %s", err, c.want)
			}
		})
	}
	_, err := ReadCSV("x", "x.csv", []byte(dataCSV), "x.indicators.csv", []byte("code,name_en,name_zh,unit_en,unit_zh,decimals\nFOREST,Forest,森林,%,%,many\n"))
	if err == nil || !strings.Contains(err.Error(), `x.indicators.csv:2:26: decimals "many" is not a number of decimal places`) {
		t.Fatalf("decimals: %v", err)
	}
}

// testWorkbook builds an XLSX in memory from rows per sheet.
func testWorkbook(t testing.TB, sheets map[string][][]any, edit func(f *excelize.File)) []byte {
	f := excelize.NewFile()
	defer f.Close()
	for _, name := range []string{"indicators", "data"} {
		rows, ok := sheets[name]
		if !ok {
			continue
		}
		f.NewSheet(name)
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow(name, cell, &r)
		}
	}
	f.DeleteSheet("Sheet1")
	if edit != nil {
		edit(f)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func csvRows(s string) [][]any {
	var out [][]any
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		var r []any
		for _, c := range strings.Split(l, ",") {
			r = append(r, c)
		}
		out = append(out, r)
	}
	return out
}

func goodSheets() map[string][][]any {
	data := [][]any{{"indicator", "country", "year", "value", "flag"}}
	data = append(data, []any{"FOREST", "VNM", 2010, 44.5, ""}, []any{"FOREST", "KHM", 2010, 57.25, "estimate"}, []any{"CO2", "CHN", 2010, 7800, ""})
	return map[string][][]any{"indicators": csvRows(indicatorsCSV), "data": data}
}

func TestReadXLSX(t *testing.T) {
	xlsx := testWorkbook(t, goodSheets(), func(f *excelize.File) {
		// a formula with a cached value: used, with a warning
		f.SetCellValue("data", "D3", 57.25)
		f.SetCellFormula("data", "D3", "=57+0.25")
	})
	ds, err := ReadXLSX("forest", "forest.xlsx", xlsx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Obs) != 3 {
		t.Fatalf("%+v", ds.Obs)
	}
	for _, o := range ds.Obs {
		if ds.CountryOf(o).Code == "KHM" && (o.Value != 57.25 || ds.Cell(o) != "data!D3") {
			t.Fatalf("%+v %s", o, ds.Cell(o))
		}
	}
	if len(ds.Warnings) != 1 || !strings.Contains(ds.Warnings.Error(), "forest.xlsx data!D3: 1 cells hold formulas (D3); the results Excel stored when the workbook was last saved are used") {
		t.Fatalf("warnings: %v", ds.Warnings)
	}
}

func TestXLSXErrors(t *testing.T) {
	good := goodSheets()
	bad := goodSheets()
	bad["data"] = append(bad["data"], []any{"FOREST", "THA", 2010, "n/a", ""})
	noData := map[string][][]any{"indicators": good["indicators"]}
	emptyData := map[string][][]any{"indicators": good["indicators"], "data": {}}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"not a number", testWorkbook(t, bad, nil), `forest.xlsx data!D5: "n/a" is not a number; leave the cell empty for a missing value`},
		{"merged", testWorkbook(t, good, func(f *excelize.File) { f.MergeCell("data", "E2", "E3") }), "forest.xlsx data!E2:E3: merged cells; unmerge them"},
		{"no data sheet", testWorkbook(t, noData, nil), `forest.xlsx: no sheet named "data"`},
		{"empty sheet", testWorkbook(t, emptyData, nil), "forest.xlsx data!A1: sheet data is empty"},
		{"not a zip", []byte("\x00\x01binary"), "forest.xlsx: not an XLSX workbook (not a zip file)"},
		{"a CSV named .xlsx", []byte("indicator,country,year,value\nFOREST,VNM,2010,44.5\n"), "forest.xlsx: this is a CSV file, not an XLSX workbook; rename it to .csv"},
		{"empty file", nil, "forest.xlsx: the file is empty"},
		{"encrypted", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), utf16le("EncryptedPackage")...), "forest.xlsx: the workbook is protected by a password; remove the password"},
		{"old xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1Workbook"), "forest.xlsx: this is an old Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx)"},
		{"zip bomb", zipBomb(t), "forest.xlsx: workbook unzips to"},
		{"broken zip", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 100)...), "forest.xlsx: not a readable XLSX workbook"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadXLSX("forest", "forest.xlsx", c.data)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}

// zipBomb claims, in its directory, an uncompressed size far beyond the
// limit.
func zipBomb(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: 4 << 30})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0})
	zw.Close()
	return buf.Bytes()
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(dataCSV), []byte(indicatorsCSV))
	f.Add([]byte("indicator;country;year;value\nFOREST;VNM;2010;1e308\n"), []byte(indicatorsCSV))
	f.Add([]byte("\"a\"\"b\",\n"), []byte("code\n"))
	f.Fuzz(func(t *testing.T, data, ind []byte) {
		ReadCSV("f", "f.csv", data, "i.csv", ind)
	})
}

func FuzzReadXLSX(f *testing.F) {
	f.Add(testWorkbook(f, goodSheets(), nil))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ReadXLSX("f", "f.xlsx", data)
	})
}

// TestSampleDatasets: the sample publication's datasets all validate, at
// least one XLSX and one CSV, covering every country.
func TestSampleDatasets(t *testing.T) {
	dir := "../../datasets/aceo-sample/"
	xlsx, _ := filepath.Glob(dir + "*.xlsx")
	all, _ := filepath.Glob(dir + "*.csv")
	var csvs []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".indicators.csv") {
			csvs = append(csvs, f)
		}
	}
	if len(xlsx) < 1 || len(csvs) < 1 || len(xlsx)+len(csvs) < 5 {
		t.Fatalf("%d XLSX and %d CSV datasets", len(xlsx), len(csvs))
	}
	seen := map[string]bool{}
	check := func(ds *Dataset, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Obs) < 11 || len(ds.Warnings) > 0 {
			t.Fatalf("%s: %d observations, warnings %v", ds.Name, len(ds.Obs), ds.Warnings)
		}
		for _, o := range ds.Obs {
			seen[ds.CountryOf(o).Code] = true
		}
		for _, ind := range ds.Indicators {
			if !strings.Contains(ind.Source, "Illustrative") {
				t.Errorf("%s %s: not marked illustrative", ds.Name, ind.Code)
			}
		}
	}
	for _, f := range xlsx {
		data, _ := os.ReadFile(f)
		check(ReadXLSX(strings.TrimSuffix(filepath.Base(f), ".xlsx"), f, data))
	}
	for _, f := range csvs {
		data, _ := os.ReadFile(f)
		dict, _ := os.ReadFile(strings.TrimSuffix(f, ".csv") + ".indicators.csv")
		check(ReadCSV(strings.TrimSuffix(filepath.Base(f), ".csv"), f, data, strings.TrimSuffix(f, ".csv")+".indicators.csv", dict))
	}
	if len(seen) != len(Countries) {
		t.Errorf("countries covered: %v", seen)
	}
}

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		v    float64
		d    int
		want string
	}{{1354, 0, "1,354"}, {57.25, 1, "57.3"}, {-8.1, 1, "−8.1"}, {157000, 0, "157,000"}, {0.045, 2, "0.05"}, {1234567.891, 2, "1,234,567.89"}, {999.96, 1, "1,000.0"}} {
		if got := FormatNumber(c.v, c.d); got != c.want {
			t.Errorf("FormatNumber(%v, %d) = %q, want %q", c.v, c.d, got, c.want)
		}
	}
}

func TestTable(t *testing.T) {
	ds, err := ReadCSV("forest", "forest.csv", []byte(dataCSV), "forest.indicators.csv", []byte(indicatorsCSV))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := ParseTableSpec("c.md", 10, "dataset: forest\nindicator: FOREST\nyears: [2010]\ncountries: [KHM, VNM, CHN]\naggregates: [ASEAN, ASEAN+CHN]\nlabel: tbl:forest\n")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{
		"en": "Forest cover (% of land area)|Country,2010|Cambodia,57.2\u00a0a|Viet Nam,44.5|China,..|ASEAN,50.9\u00a0a|ASEAN and China,50.9\u00a0a|a estimate;ASEAN, ASEAN and China: unweighted mean of the countries with data.;ASEAN, 2010: includes flagged values (estimate: Cambodia).;ASEAN, 2010: 2 of 10 countries with data (Cambodia, Viet Nam only).;ASEAN and China, 2010: includes flagged values (estimate: Cambodia).;ASEAN and China, 2010: 2 of 11 countries with data (Cambodia, Viet Nam only).;ASEAN, ASEAN and China: computed over every member country with data, not only the countries shown.|Source: FAO",
		"zh": "森林覆盖率（占陆地面积%）|国家,2010|柬埔寨,57.2\u00a0a|越南,44.5|中国,..|东盟,50.9\u00a0a|东盟与中国,50.9\u00a0a|a 估计值;东盟、东盟与中国：有数据国家的简单平均值。;东盟，2010年：含标注数值（估计值：柬埔寨）。;东盟，2010年：10个国家中2个有数据（仅柬埔寨、越南）。;东盟与中国，2010年：含标注数值（估计值：柬埔寨）。;东盟与中国，2010年：11个国家中2个有数据（仅柬埔寨、越南）。;东盟、东盟与中国：按所有有数据的成员国计算，不限于表中所列国家。|资料来源：FAO",
	} {
		tb, err := ds.Table(spec, lang)
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		parts = append(parts, tb.Caption, strings.Join(tb.Header, ","))
		for _, r := range tb.Rows {
			parts = append(parts, strings.Join(r, ","))
		}
		parts = append(parts, strings.Join(tb.Notes, ";"), tb.Source)
		if got := strings.Join(parts, "|"); got != want {
			t.Errorf("%s:\n got %s\nwant %s", lang, got, want)
		}
	}
	if _, err := ParseTableSpec("c.md", 10, "dataset: forest\nindicator: FOREST\naggregates: [EU]\nlabel: fig:x\ncolour: red\n"); err == nil || !strings.Contains(err.Error(), `c.md:15: unknown field "colour"`) {
		t.Fatalf("%v", err)
	}
}

// TestTableLayouts: golden layouts for year ranges, latest values and
// sorting, in both languages.
func TestTableLayouts(t *testing.T) {
	data := "indicator,country,year,value,unit,source,note,flag\n" +
		"FOREST,VNM,2000,37.8,,,,\n" + "FOREST,VNM,2010,44.5,,,,\n" +
		"FOREST,KHM,2000,65.3,,,,\n" + "FOREST,KHM,2005,61.1,,,,estimate\n" +
		"FOREST,CHN,2000,18.9,,,,\n" + "FOREST,CHN,2010,,,,,\n" +
		"FOREST,IDN,1990,65.4,,,,\n"
	ds, err := ReadCSV("forest", "forest.csv", []byte(data), "forest.indicators.csv", []byte(indicatorsCSV))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ spec, en, zh string }{
		{"years: 2000-2008\ncountries: [VNM, KHM, CHN]",
			"Country,2000,2005|Viet Nam,37.8,..|Cambodia,65.3,61.1\u00a0a|China,18.9,..|a estimate",
			"国家,2000,2005|越南,37.8,..|柬埔寨,65.3,61.1\u00a0a|中国,18.9,..|a 估计值"},
		{"years: 2010",
			"Country,2010|Brunei Darussalam,..|Cambodia,..|Indonesia,..|Lao PDR,..|Malaysia,..|Myanmar,..|Philippines,..|Singapore,..|Thailand,..|Viet Nam,44.5|China,..|",
			"国家,2010|文莱,..|柬埔寨,..|印度尼西亚,..|老挝,..|马来西亚,..|缅甸,..|菲律宾,..|新加坡,..|泰国,..|越南,44.5|中国,..|"},
		{"years: latest\ncountries: [IDN, VNM, KHM, CHN, SGP]",
			"Country,Year,Latest value|Indonesia,1990,65.4|Viet Nam,2010,44.5|Cambodia,2005,61.1\u00a0a|China,2000,18.9|Singapore,..,..|a estimate",
			"国家,年份,最新值|印度尼西亚,1990,65.4|越南,2010,44.5|柬埔寨,2005,61.1\u00a0a|中国,2000,18.9|新加坡,..,..|a 估计值"},
		// sorted by the last column before marks are given: a runs down
		{"years: latest\ncountries: [SGP, CHN, VNM, KHM, IDN]\nsort: descending",
			"Country,Year,Latest value|Indonesia,1990,65.4|Cambodia,2005,61.1\u00a0a|Viet Nam,2010,44.5|China,2000,18.9|Singapore,..,..|a estimate",
			"国家,年份,最新值|印度尼西亚,1990,65.4|柬埔寨,2005,61.1\u00a0a|越南,2010,44.5|中国,2000,18.9|新加坡,..,..|a 估计值"},
		{"years: [2000]\ncountries: [KHM, VNM, LAO, CHN]\nsort: ascending\naggregates: [ASEAN]",
			"Country,2000|China,18.9|Viet Nam,37.8|Cambodia,65.3|Lao PDR,..|ASEAN,51.6|ASEAN: unweighted mean of the countries with data.;ASEAN, 2000: 2 of 10 countries with data (Cambodia, Viet Nam only).;ASEAN: computed over every member country with data, not only the countries shown.",
			"国家,2000|中国,18.9|越南,37.8|柬埔寨,65.3|老挝,..|东盟,51.6|东盟：有数据国家的简单平均值。;东盟，2000年：10个国家中2个有数据（仅柬埔寨、越南）。;东盟：按所有有数据的成员国计算，不限于表中所列国家。"},
	} {
		spec, err := ParseTableSpec("c.md", 10, "dataset: forest\nindicator: FOREST\n"+c.spec+"\n")
		if err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		for lang, want := range map[string]string{"en": c.en, "zh": c.zh} {
			tb, err := ds.Table(spec, lang)
			if err != nil {
				t.Fatal(err)
			}
			parts := []string{strings.Join(tb.Header, ",")}
			for _, r := range tb.Rows {
				parts = append(parts, strings.Join(r, ","))
			}
			parts = append(parts, strings.Join(tb.Notes, ";"))
			if got := strings.Join(parts, "|"); got != want {
				t.Errorf("%q %s:\n got %s\nwant %s", c.spec, lang, got, want)
			}
		}
	}
}

// TestTableSpecErrors: one message per kind of mistake in an aceo-table
// block, with its file and line.
func TestTableSpecErrors(t *testing.T) {
	for body, want := range map[string]string{
		"years: soon\n":                        `c.md:13: years "soon" is not a list, a range or latest`,
		"years: 2010-2000\n":                   `c.md:13: years "2010-2000" is not a list`,
		"years: latest\naggregates: [ASEAN]\n": "c.md:10: aggregates cannot be computed over latest values",
		"sort: alphabetical\n":                 `c.md:10: sort "alphabetical" is not known`,
		"countries: [VNM, XYZ]\n":              `c.md:10: unknown country code "XYZ"`,
		"aggregates: [EU]\n":                   `c.md:10: aggregate "EU" is not known`,
		"label: fig:x\n":                       `c.md:10: label "fig:x" is not a table label`,
	} {
		_, err := ParseTableSpec("c.md", 10, "dataset: forest\nindicator: FOREST\n"+body)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %s", body, err, want)
		}
	}
}

// TestIndicatorTable: the indicators-countries layout, golden in both
// languages, with each indicator's unit, aggregation method and source.
func TestIndicatorTable(t *testing.T) {
	ds, err := ReadCSV("forest", "forest.csv", []byte(dataCSV), "forest.indicators.csv", []byte(indicatorsCSV))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := ParseTableSpec("c.md", 10, "dataset: forest\nlayout: indicators-countries\nindicators: [FOREST, CO2]\nyears: 2010\ncountries: [KHM, VNM, CHN]\naggregates: [ASEAN+CHN]\n")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{
		"en": "Selected indicators (2010)|Indicator,Cambodia,Viet Nam,China,ASEAN and China|Forest cover (% of land area),57.2\u00a0a,44.5,..,50.9\u00a0a|CO2 emissions (Mt),..,..,7,800\u00a0b,7,800\u00a0b|a estimate;b provisional;ASEAN and China: Forest cover: unweighted mean of the countries with data; CO2 emissions: sum of the countries with data.;Forest cover: ASEAN and China, 2010: includes flagged values (estimate: Cambodia).;Forest cover: ASEAN and China, 2010: 2 of 11 countries with data (Cambodia, Viet Nam only).;CO2 emissions: ASEAN and China, 2010: includes flagged values (all provisional).;CO2 emissions: ASEAN and China, 2010: 1 of 11 countries with data (China only).;ASEAN and China: computed over every member country with data, not only the countries shown.|Source: FAO; IEA",
		"zh": "主要指标（2010）|指标,柬埔寨,越南,中国,东盟与中国|森林覆盖率（占陆地面积%）,57.2\u00a0a,44.5,..,50.9\u00a0a|二氧化碳排放（百万吨）,..,..,7,800\u00a0b,7,800\u00a0b|a 估计值;b 初步数据;东盟与中国：森林覆盖率：有数据国家的简单平均值；二氧化碳排放：有数据国家的合计。;森林覆盖率：东盟与中国，2010年：含标注数值（估计值：柬埔寨）。;森林覆盖率：东盟与中国，2010年：11个国家中2个有数据（仅柬埔寨、越南）。;二氧化碳排放：东盟与中国，2010年：含标注数值（均为初步数据）。;二氧化碳排放：东盟与中国，2010年：11个国家中1个有数据（仅中国）。;东盟与中国：按所有有数据的成员国计算，不限于表中所列国家。|资料来源：FAO；IEA",
	} {
		tb, err := ds.Table(spec, lang)
		if err != nil {
			t.Fatal(err)
		}
		parts := []string{tb.Caption, strings.Join(tb.Header, ",")}
		for _, r := range tb.Rows {
			parts = append(parts, strings.Join(r, ","))
		}
		parts = append(parts, strings.Join(tb.Notes, ";"), tb.Source)
		if got := strings.Join(parts, "|"); got != want {
			t.Errorf("%s:\n got %s\nwant %s", lang, got, want)
		}
	}
	for body, want := range map[string]string{
		"layout: indicators-countries\nindicators: [FOREST]\n":                               "shows one year",
		"layout: indicators-countries\nindicator: FOREST\nyears: 2010\n":                     "needs a dataset and a list of indicators",
		"layout: indicators-countries\nindicators: [FOREST]\nyears: 2010\nsort: ascending\n": "cannot be sorted",
		"indicator: FOREST\nindicators: [CO2]\n":                                             "indicators: is for layout: indicators-countries",
		"indicator: FOREST\nlayout: wide\n":                                                  `layout "wide" is not known`,
	} {
		if _, err := ParseTableSpec("c.md", 10, "dataset: forest\n"+body); err == nil || !strings.Contains(err.Error(), "c.md:10: ") || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %s", body, err, want)
		}
	}
}

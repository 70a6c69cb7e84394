package dataset

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestValueMistakes: each mistake an author makes in a value or year cell
// is refused with a hint for that very mistake, at its line and column;
// nothing is converted silently.
func TestValueMistakes(t *testing.T) {
	head := "indicator,country,year,value,unit,source,note,flag\n"
	row := func(year, value string) string { return head + "FOREST,VNM," + year + "," + value + ",,,,\n" }
	cases := []struct{ name, data, want string }{
		{"percent sign", row("2010", "44.5%"), `forest.csv:2:17: "44.5%" has a percent sign; type the number alone (44.5): the unit is in the indicator dictionary`},
		{"decimal comma", row("2010", `"44,5"`), `forest.csv:2:17: "44,5" has a decimal comma; type it with a decimal point: 44.5`},
		{"thousands", head + "CO2,CHN,2010,\"7,800,000\",,,,\n", `"7,800,000" has thousands separators; type it without them: 7800000`},
		{"thousands with spaces", head + "CO2,CHN,2010,7 800,,,,\n", `"7 800" has thousands separators; type it without them: 7800`},
		{"one comma", head + "CO2,CHN,2010,\"7,800\",,,,\n", `"7,800" has a comma; type 7800 if the comma separates thousands, or 7.800 if it is a decimal comma`},
		{"european", head + "CO2,CHN,2010,\"7.800,5\",,,,\n", `"7.800,5" has thousands separators and a decimal comma; type it as 7800.5`},
		{"full-width", row("2010", "４４．５"), `"４４．５" is typed in full-width characters; type it in ASCII: 44.5`},
		{"unicode minus", head + "CO2,CHN,2010,−5,,,,\n", `"−5" starts with a dash, not a minus sign; type the minus sign with the hyphen-minus key: -5`},
		{"hex float", row("2010", "0x1p5"), `"0x1p5" is a hexadecimal number; type the value in decimal`},
		{"missing mark", row("2010", "n/a"), `"n/a" is not a number; leave the cell empty for a missing value`},
		{"words", row("2010", "about forty"), `"about forty" is not a number; type a number such as 12.5, or leave the cell empty for a missing value`},
		{"date serial year", row("40179", "44.5"), `forest.csv:2:12: this cell holds a date (2010-01-01), not a year; type the year 2010 as a number`},
		{"date year", row("2010-06-30", "44.5"), `"2010-06-30" is a date, not a year; type the year 2010 as a number`},
		{"scientific year", row("2.01E3", "44.5"), `year "2.01E3" is written in scientific notation; type the year as a number: 2010`},
		{"fraction year", row("2010.5", "44.5"), `year "2010.5" is not a whole year`},
		{"negative share", row("2010", "-5"), `forest.csv:2:17: -5 is outside the range of FOREST (% of land area): from 0 to 100; check the value; if this indicator can be negative`},
		{"share above 100", row("2010", "140"), `140 is outside the range of FOREST (% of land area): from 0 to 100; a share in % lies between 0 and 100`},
		{"negative emissions", head + "CO2,CHN,2010,-1,,,,\n", `-1 is outside the range of CO2 (Mt): at least 0`},
		{"long cell quoted short", row("2010", strings.Repeat("x", 100)), `"` + strings.Repeat("x", 60) + `…" is not a number`},
		{"long note", head + "FOREST,VNM,2010,44.5,,," + strings.Repeat("n", 2001) + ",\n", `this cell holds 2001 characters, more than the 2000 allowed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadCSV("forest", "forest.csv", []byte(c.data), "forest.indicators.csv", []byte(indicatorsCSV))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got  %v\nwant %s", err, c.want)
			}
			if strings.Contains(err.Error(), strings.Repeat("x", 61)) {
				t.Fatalf("a message quotes more than 60 characters: %v", err)
			}
		})
	}
}

// TestBoundsInDictionary: min and max in the dictionary widen or narrow
// the default range; "none" lifts a bound; a bound that is not a number
// is refused.
func TestBoundsInDictionary(t *testing.T) {
	dict := "code,name_en,name_zh,unit_en,unit_zh,decimals,min,max\n" +
		"CHANGE,Change in forest,森林变化,%,%,0,-100,none\n" +
		"TEMP,Temperature,气温,°C,°C,1,none,60\n"
	data := "indicator,country,year,value\nCHANGE,VNM,2010,-32\nCHANGE,KHM,2010,150\nTEMP,CHN,2010,-12.5\n"
	ds, err := ReadCSV("x", "x.csv", []byte(data), "x.indicators.csv", []byte(dict))
	if err != nil || len(ds.Obs) != 3 {
		t.Fatalf("%v", err)
	}
	if _, err := ReadCSV("x", "x.csv", []byte("indicator,country,year,value\nCHANGE,VNM,2010,-101\n"), "x.indicators.csv", []byte(dict)); err == nil || !strings.Contains(err.Error(), "-101 is outside the range of CHANGE (%): at least -100") {
		t.Fatalf("below min: %v", err)
	}
	bad := "code,name_en,name_zh,unit_en,unit_zh,decimals,min\nX,X,X,t,t,0,low\n"
	if _, err := ReadCSV("x", "x.csv", []byte(data), "x.indicators.csv", []byte(bad)); err == nil || !strings.Contains(err.Error(), `x.indicators.csv:2:13: min "low" is not a number`) {
		t.Fatalf("bad min: %v", err)
	}
}

// TestCSVShapes: rows with too few or too many fields are errors at their
// line; lines are right after blank lines and quoted multi-line fields;
// tabs and Excel's sep= line are read; UTF-16, an empty file and a
// workbook named .csv get precise messages.
func TestCSVShapes(t *testing.T) {
	head := "indicator,country,year,value,unit,source,note,flag\n"
	read := func(data string) error {
		_, err := ReadCSV("forest", "forest.csv", []byte(data), "forest.indicators.csv", []byte(indicatorsCSV))
		return err
	}
	cases := []struct{ name, data, want string }{
		{"too few", head + "FOREST,VNM,2010,44.5\n", "forest.csv:2:17: this row has 4 fields, the header has 8"},
		{"too many", head + "FOREST,VNM,2010,44,5,,,,\n", "forest.csv:2:24: this row has 9 fields, the header has 8"},
		// n/a on line 5: after a blank line and a note over two lines
		{"lines", head + "FOREST,VNM,2010,44.5,,,\"a note\nover two lines\",\n\nFOREST,KHM,2010,n/a,,,,\n", `forest.csv:5:17: "n/a" is not a number`},
		{"utf-16", "\xff\xfei\x00n\x00", `forest.csv: the file is UTF-16 ("Unicode text"), not UTF-8; save the table as CSV UTF-8`},
		{"empty", "", "forest.csv: the file is empty"},
		{"blank", "\n\n", "forest.csv: the file is empty"},
		{"workbook", "PK\x03\x04rest", "forest.csv: this is an XLSX workbook, not a CSV file; rename it to .xlsx"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := read(c.data); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got  %v\nwant %s", err, c.want)
			}
		})
	}
	for name, data := range map[string]string{
		"tabs":     strings.ReplaceAll(dataCSV, ",", "\t"),
		"sep=;":    "sep=;\n" + strings.ReplaceAll(dataCSV, ",", ";"),
		"sep=, ":   "sep=,\r\n" + dataCSV,
		"CRLF":     strings.ReplaceAll(dataCSV, "\n", "\r\n"),
		"quoted":   strings.Replace(dataCSV, "FAO FRA 2010", `"FAO FRA 2010, table 3"`, 1),
		"tab dict": dataCSV,
	} {
		if err := read(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// the line of a value after "sep=;" counts that line
	if err := read("sep=;\n" + strings.ReplaceAll(head+"FOREST,VNM,2010,n/a,,,,\n", ",", ";")); err == nil || !strings.Contains(err.Error(), "forest.csv:3:") {
		t.Errorf("line after sep=: %v", err)
	}
}

// TestProblemLimit: a file with many problems lists the first 50, then
// says how many more there are.
func TestProblemLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("indicator,country,year,value\n")
	for i := 0; i < 120; i++ {
		fmt.Fprintf(&b, "FOREST,VNM,%d,n/a\n", 1961+i%100)
	}
	_, err := ReadCSV("forest", "forest.csv", []byte(b.String()), "forest.indicators.csv", []byte(indicatorsCSV))
	if err == nil || !strings.Contains(err.Error(), "51 problems") || !strings.Contains(err.Error(), "and 70 more problems") {
		t.Fatalf("%v", err)
	}
}

// TestReadersHeedContext: a reader stops with the context's error when
// the context ends (a command interrupted, a client gone), within a few
// thousand rows.
func TestReadersHeedContext(t *testing.T) {
	var b strings.Builder
	b.WriteString("indicator,country,year,value\n")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, "FOREST,VNM,%d,1\n", 1960+i%100)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadCSVContext(ctx, "forest", "forest.csv", []byte(b.String()), "forest.indicators.csv", []byte(indicatorsCSV)); !errors.Is(err, context.Canceled) {
		t.Fatalf("CSV: %v", err)
	}
	sheets := goodSheets()
	for i := 0; i < 10000; i++ {
		sheets["data"] = append(sheets["data"], []any{"FOREST", "VNM", 1960 + i%100, 1.0, ""})
	}
	if _, err := ReadXLSXContext(ctx, "forest", "forest.xlsx", testWorkbook(t, sheets, nil)); !errors.Is(err, context.Canceled) {
		t.Fatalf("XLSX: %v", err)
	}
}

// TestCSVRowLimit: a CSV table past MaxRows is refused, as a workbook is.
func TestCSVRowLimit(t *testing.T) {
	data := "indicator,country,year,value\n" + strings.Repeat("FOREST,VNM,2010,1\n", MaxRows+1)
	if _, err := ReadCSV("forest", "forest.csv", []byte(data), "forest.indicators.csv", []byte(indicatorsCSV)); err == nil || !strings.Contains(err.Error(), "the data table has more than 2000000 rows") {
		t.Fatalf("%v", err)
	}
}

package dataset

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestConvertWDI: a table shaped as the World Bank publishes it (metadata
// lines, a column per year, countries and groups) becomes the long form
// for the eleven countries, values copied as they are, groups left out;
// and the long form reads as a dataset. Read as a dataset, the wide file
// is explained with the command that converts it.
func TestConvertWDI(t *testing.T) {
	data, err := os.ReadFile("testdata/wdi-forest.csv")
	if err != nil {
		t.Fatal(err)
	}
	out, sum, err := Convert("wdi-forest.csv", data, "FOREST", "")
	if err != nil {
		t.Fatal(err)
	}
	// 11 countries x 30 years (2020 empty), Myanmar without 1990 and 1991
	if sum.Observations != 11*30-2 || len(sum.Countries) != 11 || sum.Years != [2]int{1990, 2019} {
		t.Fatalf("%+v", sum)
	}
	if strings.Join(sum.Skipped, "|") != "World|East Asia & Pacific" {
		t.Fatalf("skipped %q", sum.Skipped)
	}
	text := string(out)
	for _, want := range []string{"indicator,country,year,value\n", "FOREST,BRN,1990,78.4\n", "FOREST,VNM,1991,28.9\n", "FOREST,LAO,2019,72.1\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("long form lacks %q", want)
		}
	}
	if strings.Contains(text, "WLD") || strings.Contains(text, "FOREST,MMR,1990") {
		t.Error("a group or an empty cell was converted")
	}
	ds, err := ReadCSV("forest", "forest.csv", out, "forest.indicators.csv", []byte(indicatorsCSV))
	if err != nil || len(ds.Obs) != sum.Observations {
		t.Fatalf("the long form does not read: %v", err)
	}
	// the wide file read as a dataset: explained, with the command
	if _, err := ReadCSV("forest", "wdi.csv", []byte(wideBody(data)), "forest.indicators.csv", []byte(indicatorsCSV)); err == nil || !strings.Contains(err.Error(), "the years are columns of this table") || !strings.Contains(err.Error(), "aceo dataset convert wdi.csv --indicator CODE") {
		t.Fatalf("wide file as a dataset: %v", err)
	}
	if _, _, err := Convert("x.csv", []byte("a,b\n1,2\n"), "FOREST", ""); err == nil || !strings.Contains(err.Error(), "no row of the file names years as columns") {
		t.Fatalf("not wide: %v", err)
	}
	two := strings.Replace(string(data), `"Viet Nam","VNM","Forest area (% of land area)","AG.LND.FRST.ZS"`, `"Viet Nam","VNM","Other","EN.OTHER"`, 1)
	if _, _, err := Convert("x.csv", []byte(two), "FOREST", ""); err == nil || !strings.Contains(err.Error(), "the file holds 2 indicators") {
		t.Fatalf("two indicators: %v", err)
	}
	if _, sum, err := Convert("x.csv", []byte(two), "FOREST", "AG.LND.FRST.ZS"); err != nil || len(sum.Countries) != 10 {
		t.Fatalf("--from: %v %+v", err, sum)
	}
}

// wideBody is the wide file from its header row on.
func wideBody(data []byte) string {
	s := string(data)
	return s[strings.Index(s, `"Country Name"`):]
}

// TestConvertXLSX: a wide workbook (its first sheet) converts the same way.
func TestConvertXLSX(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Country", "2000", "2010"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"Vietnam", 37.8, 44.5})
	f.SetSheetRow("Sheet1", "A3", &[]any{"Lao People's Democratic Republic", nil, 67.9})
	f.SetSheetRow("Sheet1", "A4", &[]any{"Japan", 68.4, 68.5})
	var buf bytes.Buffer
	f.Write(&buf)
	out, sum, err := Convert("forest.xlsx", buf.Bytes(), "FOREST", "")
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "indicator,country,year,value\nFOREST,VNM,2000,37.8\nFOREST,VNM,2010,44.5\nFOREST,LAO,2010,67.9\n" || strings.Join(sum.Skipped, "") != "Japan" {
		t.Fatalf("%q %+v", out, sum)
	}
}

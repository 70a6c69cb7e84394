package dataset

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"
)

const benchRows = 1_000_000

var (
	benchOnce           sync.Once
	benchXLSX, benchCSV []byte
)

// benchData makes a million observations: 1,000 indicators x 11
// countries x 91 years, as XLSX (written with the stream writer) and CSV.
func benchData(b *testing.B) ([]byte, []byte) {
	benchOnce.Do(func() {
		// generated once per machine, so that a measurement of a
		// reader's memory is not a measurement of the generator
		dir := filepath.Join(os.TempDir(), "aceo-bench-1m")
		cx, err1 := os.ReadFile(filepath.Join(dir, "data.xlsx"))
		cc, err2 := os.ReadFile(filepath.Join(dir, "data.csv"))
		if err1 == nil && err2 == nil {
			benchXLSX, benchCSV = cx, cc
			return
		}
		var inds []string
		var ind bytes.Buffer
		ind.WriteString(indicatorsCSV[:strings.IndexByte(indicatorsCSV, '\n')+1])
		for i := 0; i < 1000; i++ {
			code := fmt.Sprintf("IND%04d", i)
			inds = append(inds, code)
			fmt.Fprintf(&ind, "%s,Indicator %d,指标%d,t,吨,2,src,def,sum\n", code, i, i)
		}
		f := excelize.NewFile()
		f.NewSheet("indicators")
		for i, l := range strings.Split(strings.TrimSpace(ind.String()), "\n") {
			var r []any
			for _, c := range strings.Split(l, ",") {
				r = append(r, c)
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow("indicators", cell, &r)
		}
		f.NewSheet("data")
		f.DeleteSheet("Sheet1")
		sw, _ := f.NewStreamWriter("data")
		sw.SetRow("A1", []any{"indicator", "country", "year", "value"})
		var csv bytes.Buffer
		csv.WriteString("indicator,country,year,value\n")
		n := 0
		for y := 1960; n < benchRows; y++ {
			for _, code := range inds {
				for _, c := range Countries {
					if n == benchRows {
						break
					}
					n++
					v := float64(n%9973) / 7
					cell, _ := excelize.CoordinatesToCellName(1, n+1)
					sw.SetRow(cell, []any{code, c.Code, y, v})
					csv.WriteString(code + "," + c.Code + "," + strconv.Itoa(y) + "," + strconv.FormatFloat(v, 'f', -1, 64) + "\n")
				}
			}
		}
		sw.Flush()
		var x bytes.Buffer
		f.Write(&x)
		f.Close()
		benchXLSX, benchCSV = x.Bytes(), csv.Bytes()
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "indicators.csv"), ind.Bytes(), 0o644)
		os.WriteFile(filepath.Join(dir, "data.csv"), benchCSV, 0o644)
		os.WriteFile(filepath.Join(dir, "data.xlsx"), benchXLSX, 0o644)
	})
	return benchXLSX, benchCSV
}

// BenchmarkXLSXBareRows is excelize's own streaming iteration over the data
// sheet, the yardstick of BenchmarkReadXLSX.
func BenchmarkXLSXBareRows(b *testing.B) {
	x := benchFile(b, "data.xlsx")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := excelize.OpenReader(bytes.NewReader(x), excelize.Options{UnzipXMLSizeLimit: maxSheetInMem})
		if err != nil {
			b.Fatal(err)
		}
		rows, _ := f.Rows("data")
		n := 0
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		f.Close()
		if n != benchRows+1 {
			b.Fatalf("%d rows", n)
		}
	}
}

// BenchmarkReadXLSX loads and validates the million-row workbook.
func BenchmarkReadXLSX(b *testing.B) {
	x := benchFile(b, "data.xlsx")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ds, err := ReadXLSX("bench", "bench.xlsx", x)
		if err != nil {
			b.Fatal(err)
		}
		if len(ds.Obs) != benchRows {
			b.Fatalf("%d observations", len(ds.Obs))
		}
	}
}

// BenchmarkReadCSV loads and validates the same data as CSV.
func BenchmarkReadCSV(b *testing.B) {
	c := benchFile(b, "data.csv")
	ind := benchFile(b, "indicators.csv")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ds, err := ReadCSV("bench", "bench.csv", c, "bench.indicators.csv", ind)
		if err != nil {
			b.Fatal(err)
		}
		if len(ds.Obs) != benchRows {
			b.Fatalf("%d observations", len(ds.Obs))
		}
	}
}

// benchFile reads one of the benchmark files, generating them first if
// needed; only that file is then held in memory.
func benchFile(b *testing.B, name string) []byte {
	p := filepath.Join(os.TempDir(), "aceo-bench-1m", name)
	if _, err := os.Stat(p); err != nil {
		benchData(b)
		benchXLSX, benchCSV = nil, nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

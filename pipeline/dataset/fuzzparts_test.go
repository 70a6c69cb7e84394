package dataset

import (
	"archive/zip"
	"bytes"
	"io"
	"runtime"
	"testing"
	"time"
)

// FuzzXLSXParts mutates the XML inside a workbook (a sheet, the shared
// strings, the styles, the workbook's list of sheets...), which mutating
// the zip's bytes rarely reaches past its checksums: any content ends in a
// dataset or an error, never a panic, within a time and memory budget.
func FuzzXLSXParts(f *testing.F) {
	base := testWorkbook(f, goodSheets(), nil)
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		f.Fatal(err)
	}
	var names []string
	parts := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			f.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		names = append(names, zf.Name)
		parts[zf.Name] = data
	}
	for i, n := range names {
		f.Add(uint8(i), parts[n])
	}
	// slow shapes: deep nesting, many attributes, a huge row number
	f.Add(uint8(0), bytes.Repeat([]byte("<a>"), 100000))
	f.Add(uint8(0), []byte(`<worksheet><sheetData><row r="99999999"><c r="XFD99999999" t="s"><v>0</v></c></row></sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, which uint8, part []byte) {
		name := names[int(which)%len(names)]
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, n := range names {
			w, _ := zw.Create(n)
			if n == name {
				w.Write(part)
			} else {
				w.Write(parts[n])
			}
		}
		zw.Close()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		ds, err := ReadXLSX("f", "f.xlsx", b.Bytes())
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		if err == nil && ds == nil {
			t.Fatal("no dataset and no error")
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20+2000*uint64(b.Len()) {
			t.Fatalf("%s of %d bytes: reading allocated %d bytes", name, len(part), alloc)
		}
		if limit := 3*time.Second + time.Duration(len(part)/1024)*20*time.Millisecond; took > limit {
			t.Fatalf("%s of %d bytes: reading took %v", name, len(part), took)
		}
	})
}

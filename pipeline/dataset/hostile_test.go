package dataset

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain is the tests, or, with ACEO_READ_XLSX set, a process that reads
// that one workbook and prints the verdict, so that a test can measure a
// read's peak memory alone.
func TestMain(m *testing.M) {
	if f := os.Getenv("ACEO_READ_CSV"); f != "" { // DATA.csv:DICT.csv, for a measure of memory
		data, dict, _ := strings.Cut(f, ":")
		d, err := os.ReadFile(data)
		i, err2 := os.ReadFile(dict)
		if err == nil && err2 == nil {
			_, err = ReadCSV("measured", filepath.Base(data), d, filepath.Base(dict), i)
		}
		fmt.Println(err, err2)
		os.Exit(0)
	}
	if f := os.Getenv("ACEO_READ_XLSX"); f != "" {
		data, err := os.ReadFile(f)
		if err == nil {
			_, err = ReadXLSX("hostile", filepath.Base(f), data)
		}
		fmt.Println(err)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// hostileKinds are workbooks made to exhaust a reader: a megabyte or two
// that expand to hundreds of megabytes of XML. Their zip headers tell the
// truth (archive/zip stops a part that grows past what its header
// claims), so each is under the 256 MiB a workbook may declare, and the
// limits checked while reading refuse it; one declares more and is
// refused before reading.
var hostileKinds = []struct {
	name, part, want string
	write            func(w io.Writer)
}{
	{"whitespace", "xl/worksheets/sheet2.xml", "a cell or tag of more than 1048576 bytes", func(w io.Writer) {
		io.WriteString(w, "<worksheet><sheetData>")
		repeat(w, " ", 200<<20)
		io.WriteString(w, "</sheetData></worksheet>")
	}},
	{"one-big-string", "xl/sharedStrings.xml", "a text of more than 131068 bytes (a cell holds at most 32,767 characters)", func(w io.Writer) {
		io.WriteString(w, "<sst><si><t>")
		repeat(w, "a", 200<<20)
		io.WriteString(w, "</t></si></sst>")
	}},
	{"many-strings", "xl/sharedStrings.xml", "the workbook has more than 2000000 distinct texts (shared strings)", func(w io.Writer) {
		io.WriteString(w, "<sst>")
		repeat(w, "<si/>", 40_000_000)
		io.WriteString(w, "</sst>")
	}},
	{"declared-gigabyte", "xl/sharedStrings.xml", "more than the 268435456 allowed", func(w io.Writer) {
		io.WriteString(w, "<sst>")
		repeat(w, "<si><t/></si>", 61_000_000)
		io.WriteString(w, "</sst>")
	}},
	{"shared-bytes", "xl/sharedStrings.xml", "the workbook's texts (shared strings) take more than 33554432 bytes", func(w io.Writer) {
		io.WriteString(w, "<sst>")
		for i := 0; i < 400; i++ { // 400 texts of 120 KB: each under the cell limit, 48 MB in all
			fmt.Fprintf(w, "<si><t>%d", i)
			repeat(w, "a", 120_000)
			io.WriteString(w, "</t></si>")
		}
		io.WriteString(w, "</sst>")
	}},
	{"wide-row", "xl/worksheets/sheet2.xml", "row 1 of sheet data has more than 1000 cells", func(w io.Writer) {
		io.WriteString(w, "<worksheet><sheetData><row r=\"1\">")
		repeat(w, "<c><v>1</v></c>", 5000)
		io.WriteString(w, "</row></sheetData></worksheet>")
	}},
	{"empty-rows", "xl/worksheets/sheet2.xml", "sheet data has more than 2000000 rows", func(w io.Writer) {
		io.WriteString(w, "<worksheet><sheetData>")
		repeat(w, "<row/>", 24_000_000)
		io.WriteString(w, "</sheetData></worksheet>")
	}},
}

func repeat(w io.Writer, s string, n int) {
	chunk := strings.Repeat(s, max(1, (64<<10)/len(s)))
	per := len(chunk) / len(s)
	for n > 0 {
		k := min(n, per)
		io.WriteString(w, chunk[:k*len(s)])
		n -= k
	}
}

// hostileFile writes (once per machine) the workbook of kind i and returns
// its path.
func hostileFile(t testing.TB, i int) string {
	k := hostileKinds[i]
	dir := filepath.Join(os.TempDir(), "aceo-hostile-v4")
	p := filepath.Join(dir, k.name+".xlsx")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	os.MkdirAll(dir, 0o755)
	good := rawWorkbook(t, inlineRow(1, "indicator", "country", "year", "value"), rawIndicators, "")
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name == k.part {
			continue
		}
		w, _ := zw.Create(f.Name)
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) { return flate.NewWriter(out, flate.BestSpeed) })
	w, err := zw.CreateHeader(&zip.FileHeader{Name: k.part, Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	k.write(bw)
	bw.Flush()
	zw.Close()
	if err := os.WriteFile(p+".tmp", buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Rename(p+".tmp", p)
	return p
}

// TestHostileWorkbooks: each hostile workbook is refused, with a message
// that names the limit, by a process whose peak memory stays under
// 200 MB. (BenchmarkHostile measures the time.)
func TestHostileWorkbooks(t *testing.T) {
	self, _ := os.Executable()
	for i, k := range hostileKinds {
		t.Run(k.name, func(t *testing.T) {
			p := hostileFile(t, i)
			st, _ := os.Stat(p)
			cmd := exec.Command(self, "-test.run=^$")
			cmd.Env = append(os.Environ(), "ACEO_READ_XLSX="+p)
			start := time.Now()
			out, err := cmd.Output()
			took := time.Since(start)
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if !strings.Contains(string(out), k.want) {
				t.Fatalf("%s (%d bytes): got %s, want %q", k.name, st.Size(), out, k.want)
			}
			rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss / 1024 // MB
			t.Logf("%s: %d KB file refused in %v, peak RSS %d MB: %s", k.name, st.Size()>>10, took.Round(time.Millisecond), rss, strings.TrimSpace(string(out)))
			if raceBuild {
				return // the race detector's memory and time are not the reader's
			}
			if rss > 200 {
				t.Errorf("%s: peak RSS %d MB, more than 200 MB", k.name, rss)
			}
			if took > 20*time.Second {
				t.Errorf("%s: %v to refuse it: the limits are not checked as the file is read", k.name, took)
			}
		})
	}
}

// BenchmarkHostile measures how long each hostile workbook takes to be
// refused (in this process).
func BenchmarkHostile(b *testing.B) {
	for i, k := range hostileKinds {
		b.Run(k.name, func(b *testing.B) {
			data, err := os.ReadFile(hostileFile(b, i))
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				if _, err := ReadXLSX("hostile", k.name+".xlsx", data); err == nil || !strings.Contains(err.Error(), k.want) {
					b.Fatalf("%v", err)
				}
			}
		})
	}
}

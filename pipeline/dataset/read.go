package dataset

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/xuri/excelize/v2"
)

// Limits against hostile files.
const (
	MaxFileSize     = 100 << 20 // compressed XLSX or CSV
	MaxUnzippedSize = 1 << 30   // all parts of an XLSX, uncompressed
	maxSheetInMem   = 16 << 20  // larger worksheets are streamed through a temporary file
)

// ReadCSV reads a dataset from its two CSV tables, the data and the
// indicator dictionary: UTF-8 with or without a byte-order mark, separated
// by commas or semicolons. Cells are named as in a spreadsheet, data!D17.
func ReadCSV(name, dataFile string, data []byte, indicatorsFile string, indicators []byte) (*Dataset, error) {
	for _, f := range []struct {
		name string
		b    []byte
	}{{dataFile, data}, {indicatorsFile, indicators}} {
		if bytes.HasPrefix(f.b, []byte("\xff\xfe")) || bytes.HasPrefix(f.b, []byte("\xfe\xff")) {
			return nil, diag.At(f.name, 0, "the file is UTF-16 (\"Unicode text\"), not UTF-8", "save the table as CSV UTF-8 (in Excel: Save As, CSV UTF-8)")
		}
		if bytes.HasPrefix(f.b, []byte("PK\x03\x04")) {
			return nil, diag.At(f.name, 0, "this is an XLSX workbook, not a CSV file", "rename it to .xlsx")
		}
		if len(f.b) > MaxFileSize {
			return nil, diag.At(f.name, 0, fmt.Sprintf("file is %d bytes, more than the %d allowed", len(f.b), MaxFileSize), "split the dataset")
		}
		if err := checkUTF8(f.name, f.b); err != nil {
			return nil, err
		}
	}
	b := newBuilder(dataFile, name)
	b.file = indicatorsFile
	if err := readCSV(b, "indicators", indicators, indicatorCols, indicatorOpt, b.indicatorRow); err != nil {
		return nil, err
	}
	if len(b.errs) > 0 {
		return b.done()
	}
	b.file = dataFile
	b.ds.csv = true
	b.expect(bytes.Count(data, []byte("\n")))
	if err := readCSV(b, "data", data, dataCols, dataOptional, b.dataRow); err != nil {
		return nil, err
	}
	return b.done()
}

func readCSV(b *builder, sheet string, data []byte, required, optional []string, row func(string, cols, []string, int)) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return diag.At(b.file, 0, "the file is empty", "export the "+sheet+" table again: a header row, then the rows of values")
	}
	comma := delimiter(data)
	// Excel's "sep=;" first line says the separator: it is used, and
	// the table starts on the next line
	skipped := 0
	if first, rest, ok := bytes.Cut(data, []byte("\n")); ok && bytes.HasPrefix(bytes.ToLower(first), []byte("sep=")) && len(bytes.TrimSpace(first)) == 5 {
		comma = rune(bytes.TrimSpace(first)[4])
		data, skipped = rest, 1
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	b.pos = func(field int) (int, int) {
		if field < 0 {
			field = 0
		}
		if b.fields == 0 {
			return 0, 0
		}
		if field >= b.fields {
			l, _ := r.FieldPos(0) // a column the record lacks: its line
			return l + skipped, 0
		}
		l, c := r.FieldPos(field)
		return l + skipped, c
	}
	defer func() { b.pos = nil }()
	header, err := r.Read()
	if err == io.EOF {
		b.errorf(sheet, 0, 1, "put the header row and at least one row of values in it", "the %s table is empty", sheet)
		return nil
	}
	if err != nil {
		return csvErr(b.file, err, skipped)
	}
	b.fields = len(header)
	if len(header) == 1 && bytes.ContainsAny(data[:min(len(data), 4096)], "\t") && comma != '\t' {
		// one column: maybe another separator than the one guessed
		b.errorf(sheet, 0, 1, "save the table as CSV (comma-separated), or with tabs throughout", "the header row has one column")
	}
	c, ok := b.header(sheet, header, required, optional)
	if !ok {
		return nil
	}
	width := len(header)
	for n := 2; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			b.fields = 0 // no record: messages name the line after the last
			if n == 2 {
				b.errorf(sheet, 0, 2, "add the rows of values under the header", "the %s table has a header but no rows", sheet)
			}
			return nil
		}
		if err != nil {
			return csvErr(b.file, err, skipped)
		}
		b.fields = len(rec)
		if len(rec) != width {
			b.errorf(sheet, min(len(rec), width)-1, n, "a value that holds the separator needs quotes; otherwise a separator is missing or extra", "this row has %d fields, the header has %d", len(rec), width)
			continue
		}
		row(sheet, c, rec, n)
	}
}

func csvErr(file string, err error, skipped int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		e := diag.At(file, pe.Line+skipped, "CSV: "+pe.Err.Error(), "check the quotes on that line")
		e.Col = pe.Column
		return e
	}
	return fmt.Errorf("%s: %w", file, err)
}

// delimiter picks comma, semicolon or tab, whichever the header line has
// most of.
func delimiter(data []byte) rune {
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	best, most := ',', bytes.Count(line, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if n := bytes.Count(line, []byte(string(d))); n > most {
			best, most = d, n
		}
	}
	return best
}

func checkUTF8(file string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	line := 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return diag.At(file, line, fmt.Sprintf("not valid UTF-8 (byte 0x%02x)", data[i]), "save the table as CSV UTF-8")
		}
		if r == '\n' {
			line++
		}
		i += n
	}
	return nil
}

// ReadXLSX reads a dataset from a workbook with a "data" and an
// "indicators" sheet. Numbers are read as stored, not as formatted; a
// formula's cached value is used, with a warning; merged cells in the
// tables and empty sheets are errors. The workbook is opened with limits
// on its unzipped size and streamed through a private temporary
// directory, so that a hostile file cannot exhaust memory or disk.
func ReadXLSX(name, file string, data []byte) (*Dataset, error) {
	f, zr, paths, closeFn, err := openWorkbook(file, data)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	b := newBuilder(file, name)
	sheets := map[string]string{}
	for _, s := range f.GetSheetList() {
		sheets[strings.ToLower(s)] = s
	}
	for _, want := range []string{"indicators", "data"} {
		if _, ok := sheets[want]; !ok {
			return nil, diag.At(file, 0, fmt.Sprintf("no sheet named %q", want), "a dataset workbook has a sheet data (the values) and a sheet indicators (the dictionary)")
		}
	}
	for _, t := range []struct {
		sheet              string
		required, optional []string
		row                func(string, cols, []string, int)
	}{{"indicators", indicatorCols, indicatorOpt, b.indicatorRow}, {"data", dataCols, dataOptional, b.dataRow}} {
		sheet := sheets[t.sheet]
		// The raw scan for formulas and merged cells reads the part a
		// second time: it runs beside excelize's parsing, on the other
		// core.
		type scan struct {
			formulas, merged []string
			err              error
		}
		done := make(chan scan, 1)
		go func() {
			formulas, merged, _, err := scanSheet(zr, paths[sheet])
			done <- scan{formulas, merged, err}
		}()
		if t.sheet == "data" {
			rows := headRows(zr, paths[sheet])
			if rows < 2 {
				// no usable <dimension>: estimate from the part's size
				rows = int(partSize(zr, paths[sheet]) / 200)
			}
			b.expect(min(rows, 2_000_000))
		}
		rerr := readSheet(b, f, sheet, t.sheet, t.required, t.optional, t.row)
		sc := <-done
		if sc.err != nil {
			return nil, diag.At(file, 0, "not a readable XLSX workbook: "+sc.err.Error(), "save it again as .xlsx")
		}
		if rerr != nil {
			return nil, rerr
		}
		for _, m := range sc.merged {
			b.errs.Add(&diag.Error{File: file, Cell: sheet + "!" + m, Msg: "merged cells", Hint: "unmerge them: every row of the table holds one observation"})
		}
		if len(sc.formulas) > 0 {
			shown := sc.formulas
			if len(shown) > 5 {
				shown = shown[:5]
			}
			b.ds.Warnings.Add(&diag.Error{File: file, Cell: sheet + "!" + shown[0],
				Msg:  fmt.Sprintf("%d cells hold formulas (%s); their cached values are used", len(sc.formulas), strings.Join(shown, ", ")),
				Hint: "paste them as values to be sure of what is published"})
		}
		if t.sheet == "indicators" && len(b.errs) > 0 {
			break
		}
	}
	return b.done()
}

func readSheet(b *builder, f *excelize.File, sheet, label string, required, optional []string, row func(string, cols, []string, int)) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return diag.At(b.file, 0, fmt.Sprintf("sheet %s: %v", sheet, err), "save the workbook again as .xlsx")
	}
	defer rows.Close()
	var c cols
	n := 0
	for rows.Next() {
		n++
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return diag.At(b.file, 0, fmt.Sprintf("sheet %s row %d: %v", sheet, n, err), "save the workbook again as .xlsx")
		}
		if c == nil {
			if len(rec) == 0 {
				continue
			}
			var ok bool
			if c, ok = b.header(sheet, rec, required, optional); !ok {
				return nil
			}
			continue
		}
		row(sheet, c, rec, n)
	}
	if err := rows.Error(); err != nil {
		return diag.At(b.file, 0, fmt.Sprintf("sheet %s: %v", sheet, err), "save the workbook again as .xlsx")
	}
	if c == nil {
		b.errorf(sheet, 0, 1, "put the header row and the rows of values in it", "sheet %s is empty", sheet)
	}
	return nil
}

// sheetPaths maps sheet names to their parts in the zip.
func sheetPaths(zr *zip.Reader) (map[string]string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(zr, "xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	if err := decodePart(zr, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		out[s.Name] = targets[s.RID]
	}
	return out, nil
}

func decodePart(zr *zip.Reader, name string, v any) error {
	f, err := zr.Open(name)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	return xml.NewDecoder(io.LimitReader(f, 16<<20)).Decode(v)
}

// scanSheet streams a worksheet part looking for formulas and merged
// cells, without parsing its XML: a byte search, with the cell reference
// found backwards from each <f> element. It also reads the sheet's
// declared number of rows, to size what holds them.
func scanSheet(zr *zip.Reader, part string) (formulas, merged []string, rowCount int, err error) {
	if part == "" {
		return nil, nil, 0, nil
	}
	f, err := zr.Open(part)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %w", part, err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(io.LimitReader(f, MaxUnzippedSize), 1<<20)
	const keep = 512
	buf := make([]byte, 0, 1<<20+keep)
	chunk := make([]byte, 1<<20)
	for {
		n, rerr := io.ReadFull(r, chunk)
		first := len(buf) == 0
		buf = append(buf, chunk[:n]...)
		if first {
			rowCount = dimensionRows(buf)
		}
		scanFrom := 0
		for {
			i := indexElement(buf[scanFrom:], "<f")
			if i < 0 {
				break
			}
			at := scanFrom + i
			if ref := lastAttr(buf[:at], "<c ", "r"); ref != "" && len(formulas) < 1000 {
				formulas = append(formulas, ref)
			}
			scanFrom = at + 2
		}
		scanFrom = 0
		for {
			i := bytes.Index(buf[scanFrom:], []byte("<mergeCell "))
			if i < 0 {
				break
			}
			at := scanFrom + i
			end := bytes.IndexByte(buf[at:], '>')
			if end < 0 {
				break
			}
			if ref := attr(buf[at:at+end], "ref"); ref != "" {
				merged = append(merged, ref)
			}
			scanFrom = at + end
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			return dedupe(formulas), dedupe(merged), rowCount, nil
		}
		if rerr != nil {
			return nil, nil, 0, rerr
		}
		// keep the tail, so that an element cut between chunks is found
		// whole in the next round
		if len(buf) > keep {
			copy(buf, buf[len(buf)-keep:])
			buf = buf[:keep]
		}
	}
}

// headRows reads the row count a worksheet declares in its <dimension>,
// from the start of the part.
func headRows(zr *zip.Reader, part string) int {
	f, err := zr.Open(part)
	if err != nil {
		return 0
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	return dimensionRows(head[:n])
}

func partSize(zr *zip.Reader, part string) uint64 {
	for _, f := range zr.File {
		if f.Name == part {
			return f.UncompressedSize64
		}
	}
	return 0
}

// dimensionRows reads the last row of <dimension ref="A1:D1000001"/>,
// 0 when absent or implausible.
func dimensionRows(b []byte) int {
	ref := lastAttr(b[:min(len(b), 64<<10)], "<dimension ", "ref")
	if i := strings.LastIndexByte(ref, ':'); i >= 0 {
		ref = ref[i+1:]
	}
	digits := strings.TrimLeft(ref, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || n > 2_000_000 {
		return 0
	}
	return n
}

// indexElement finds "<f>" or "<f " (a formula element, not <fill> etc.).
func indexElement(b []byte, open string) int {
	from := 0
	for {
		i := bytes.Index(b[from:], []byte(open))
		if i < 0 {
			return -1
		}
		j := from + i + len(open)
		if j < len(b) && (b[j] == '>' || b[j] == ' ' || b[j] == '/') {
			return from + i
		}
		from = j
	}
}

// lastAttr finds the last element starting with open before the end of b
// and returns its attribute name.
func lastAttr(b []byte, open, name string) string {
	i := bytes.LastIndex(b, []byte(open))
	if i < 0 {
		return ""
	}
	end := bytes.IndexByte(b[i:], '>')
	if end < 0 {
		end = len(b) - i
	}
	return attr(b[i:i+end], name)
}

func attr(tag []byte, name string) string {
	key := []byte(" " + name + `="`)
	i := bytes.Index(tag, key)
	if i < 0 {
		return ""
	}
	rest := tag[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// OpenWorkbook opens an XLSX workbook submitted by a user with the checks
// every reader needs: its size, zipped and unzipped (zip bombs), that it is
// a zip at all, and a private temp directory for excelize. Close the
// returned function when done.
func OpenWorkbook(file string, data []byte) (*excelize.File, func(), error) {
	f, _, _, closeFn, err := openWorkbook(file, data)
	return f, closeFn, err
}

func openWorkbook(file string, data []byte) (*excelize.File, *zip.Reader, map[string]string, func(), error) {
	if len(data) > MaxFileSize {
		return nil, nil, nil, nil, diag.At(file, 0, fmt.Sprintf("workbook is %d bytes, more than the %d allowed", len(data), MaxFileSize), "split the dataset")
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, nil, nil, nil, diag.At(file, 0, "not an XLSX workbook (not a zip file)", "save it from your spreadsheet program as .xlsx")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, nil, nil, diag.At(file, 0, "not a readable XLSX workbook: "+err.Error(), "save it again as .xlsx")
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > MaxUnzippedSize {
		return nil, nil, nil, nil, diag.At(file, 0, fmt.Sprintf("workbook unzips to %d bytes, more than the %d allowed", total, MaxUnzippedSize), "this looks like a zip bomb; submit the real workbook")
	}
	paths, err := sheetPaths(zr)
	if err != nil {
		return nil, nil, nil, nil, diag.At(file, 0, "not a readable XLSX workbook: "+err.Error(), "save it again as .xlsx")
	}
	tmp, err := os.MkdirTemp("", "aceo-xlsx-*")
	if err != nil {
		return nil, nil, nil, nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzippedSize, UnzipXMLSizeLimit: maxSheetInMem, TmpDir: tmp})
	if err != nil {
		os.RemoveAll(tmp)
		return nil, nil, nil, nil, diag.At(file, 0, "not a readable XLSX workbook: "+err.Error(), "save it again as .xlsx")
	}
	return f, zr, paths, func() { f.Close(); os.RemoveAll(tmp) }, nil
}

package dataset

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/tmpfiles"
	"github.com/xuri/excelize/v2"
)

// Limits against hostile files.
const (
	MaxFileSize     = 100 << 20   // compressed XLSX or CSV
	MaxUnzippedSize = MaxUnzipped // all parts of an XLSX, uncompressed, as declared
	maxSheetInMem   = 16 << 20    // larger worksheets are streamed through a temporary file
)

// ReadCSV reads a dataset from its two CSV tables, the data and the
// indicator dictionary: UTF-8 with or without a byte-order mark, separated
// by commas or semicolons. Cells are named as in a spreadsheet, data!D17.
func ReadCSV(name, dataFile string, data []byte, indicatorsFile string, indicators []byte) (*Dataset, error) {
	return ReadCSVContext(context.Background(), name, dataFile, data, indicatorsFile, indicators)
}

// ReadCSVContext is ReadCSV that stops, with ctx's error, when ctx ends
// (an interrupted command, a client gone).
func ReadCSVContext(ctx context.Context, name, dataFile string, data []byte, indicatorsFile string, indicators []byte) (*Dataset, error) {
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
	b.ctx = ctx
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
		if n%4096 == 0 && b.ctx != nil && b.ctx.Err() != nil {
			return b.ctx.Err()
		}
		if n > MaxRows+1 {
			return diag.At(b.file, 0, fmt.Sprintf("the %s table has more than %d rows", sheet, MaxRows), "split the dataset")
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
// "indicators" sheet, in one streaming pass over each (wb.readRows) under
// limits on every size. Numbers are read as stored; a cell formatted as a
// percentage is read as it shows (0.445 shown as 44.5% is 44.5) when the
// indicator's unit is a percentage, with a warning, and refused
// otherwise; a formula's stored result is used, with a warning, and a
// formula with no stored result is refused; merged cells in the tables
// and empty sheets are errors.
func ReadXLSX(name, file string, data []byte) (*Dataset, error) {
	return ReadXLSXContext(context.Background(), name, file, data)
}

// ReadXLSXContext is ReadXLSX that stops, with ctx's error, when ctx
// ends.
func ReadXLSXContext(ctx context.Context, name, file string, data []byte) (*Dataset, error) {
	wb, err := openXLSX(file, data)
	if err != nil {
		return nil, err
	}
	wb.ctx = ctx
	b := newBuilder(file, name)
	for _, want := range []string{"indicators", "data"} {
		if _, ok := wb.sheets[want]; !ok {
			return nil, diag.At(file, 0, fmt.Sprintf("no sheet named %q", want), "a dataset workbook has a sheet data (the values) and a sheet indicators (the dictionary)")
		}
	}
	for _, t := range []struct {
		sheet              string
		required, optional []string
		row                func(string, cols, []string, int)
	}{{"indicators", indicatorCols, indicatorOpt, b.indicatorRow}, {"data", dataCols, dataOptional, b.dataRow}} {
		sheet := wb.names[t.sheet]
		if t.sheet == "data" {
			rows := headRows(wb.zr, wb.sheets[t.sheet])
			if rows < 2 {
				// no usable <dimension>: estimate from the part's size
				rows = int(partSize(wb.zr, wb.sheets[t.sheet]) / 200)
			}
			b.expect(min(rows, MaxRows))
		}
		var c cols
		stopped := false
		info, err := wb.readRows(sheet, func(r *sheetRow) error {
			if c == nil {
				if strings.TrimSpace(strings.Join(r.cells, "")) == "" {
					return nil
				}
				var ok bool
				if c, ok = b.header(sheet, r.cells, t.required, t.optional); !ok {
					stopped = true
					return errStopRows
				}
				return nil
			}
			// cells the workbook cannot give a value for: refused where they are
			bad := false
			for _, i := range c {
				switch {
				case i < len(r.noResult) && r.noResult[i]:
					b.errorf(sheet, i, r.n, "open and save the workbook in Excel so that results are stored, or type the value", "the formula in this cell has no stored result")
					bad = true
				case i < len(r.errValue) && r.errValue[i] != "":
					b.errorf(sheet, i, r.n, "correct the formula, or type the value", "the cell holds the error %s", clip(r.errValue[i]))
					bad = true
				}
			}
			if bad {
				return nil
			}
			b.cur = r
			t.row(sheet, c, r.cells, r.n)
			b.cur = nil
			return nil
		})
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil && !errors.Is(err, errStopRows) {
			var le *limitError
			if errors.As(err, &le) {
				return nil, diag.At(file, 0, le.msg, "a dataset workbook this large is not a table of indicators; check that it is the right file, or split it")
			}
			return nil, diag.At(file, 0, "not a readable XLSX workbook: "+err.Error(), "save it again as .xlsx")
		}
		if stopped {
			return b.done()
		}
		if c == nil {
			b.errorf(sheet, 0, 1, "put the header row and the rows of values in it", "sheet %s is empty", sheet)
		}
		for _, m := range info.merged {
			b.errs.Add(&diag.Error{File: file, Cell: sheet + "!" + m, Msg: "merged cells", Hint: "unmerge them: every row of the table holds one observation"})
		}
		if len(info.formulas) > 0 {
			shown := info.formulas
			if len(shown) > 5 {
				shown = shown[:5]
			}
			b.ds.Warnings.Add(&diag.Error{File: file, Cell: sheet + "!" + shown[0],
				Msg:  fmt.Sprintf("%d cells hold formulas (%s); the results Excel stored when the workbook was last saved are used", len(info.formulas), strings.Join(shown, ", ")),
				Hint: "paste them as values to be sure of what is published"})
		}
		if t.sheet == "indicators" && len(b.errs) > 0 {
			break
		}
	}
	if b.percentCells > 0 {
		b.ds.Warnings.Add(&diag.Error{File: file, Cell: b.percentFirst,
			Msg:  fmt.Sprintf("%d value cells are formatted as percentages; each is read as it shows (0.445 shown as 44.5%% is read as 44.5)", b.percentCells),
			Hint: "to be sure, format the value column as a number and type the values as they should be printed"})
	}
	return b.done()
}

// errStopRows ends a sheet's reading early.
var errStopRows = errors.New("stop reading rows")

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
		return nil, nil, nil, nil, notWorkbook(file, data)
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
	tmp, removeTmp, err := tmpfiles.Dir("xlsx-*")
	if err != nil {
		return nil, nil, nil, nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzippedSize, UnzipXMLSizeLimit: maxSheetInMem, TmpDir: tmp})
	if err != nil {
		removeTmp()
		return nil, nil, nil, nil, diag.At(file, 0, "not a readable XLSX workbook: "+err.Error(), "save it again as .xlsx")
	}
	return f, zr, paths, func() { f.Close(); removeTmp() }, nil
}

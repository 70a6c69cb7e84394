package dataset

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/diag"
)

// Limits that bound the work on any workbook. Each is enforced while the
// file is read; going over it is an error that names it.
const (
	MaxUnzipped      = 256 << 20 // bytes of XML read from a workbook, all parts
	MaxSharedStrings = 2_000_000 // distinct texts of a workbook
	MaxSharedBytes   = 32 << 20  // their total bytes
	MaxRows          = 2_000_000 // rows of a sheet, empty ones included
	MaxCellsPerRow   = 1000      // cells of a row
	MaxCellBytes     = 32767 * 4 // a cell's text (Excel's limit is 32,767 characters)
	MaxSheets        = 255       // sheets of a workbook
	maxRun           = 1 << 20   // bytes of XML between two '<': a token
)

// limitError is a limit of the workbook reader gone over.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

// budget counts the bytes of XML read from every part of a workbook and
// the length of each run of bytes between two '<' (a tag or a text), so
// that neither a huge part nor one huge token can be read.
type budget struct {
	left int64
}

// reader is one part, read under the budget.
type partReader struct {
	r   io.Reader
	b   *budget
	run int
}

func (p *partReader) Read(buf []byte) (int, error) {
	n, err := p.r.Read(buf)
	p.b.left -= int64(n)
	if p.b.left < 0 {
		return n, &limitError{msg: fmt.Sprintf("the workbook holds more than %d bytes of XML", MaxUnzipped)}
	}
	for _, c := range buf[:n] {
		if c == '<' {
			p.run = 0
			continue
		}
		p.run++
		if p.run > maxRun {
			return n, &limitError{msg: fmt.Sprintf("a cell or tag of more than %d bytes", maxRun)}
		}
	}
	return n, err
}

// workbook is an XLSX file opened for reading, part by part.
type workbook struct {
	ctx     context.Context // ends the reading of rows when done
	file    string
	zr      *zip.Reader
	parts   map[string]*zip.File
	budget  *budget
	sheets  map[string]string // lower-case name -> part
	names   map[string]string // lower-case name -> name as written
	percent []bool            // by style index: a percentage format
	date    []bool            // by style index: a date format
	shared  sharedStrings
}

// sharedStrings holds a workbook's distinct texts in one buffer.
type sharedStrings struct {
	buf  []byte
	ends []uint32
}

func (s *sharedStrings) get(i int) (string, bool) {
	if i < 0 || i >= len(s.ends) {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return string(s.buf[start:s.ends[i]]), true
}

// notWorkbook explains a file that is not an XLSX workbook at all.
func notWorkbook(file string, data []byte) error {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return diag.At(file, 0, "the file is empty", "export the workbook again")
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		if bytes.Contains(data, utf16le("EncryptedPackage")) {
			return diag.At(file, 0, "the workbook is protected by a password", "remove the password (in Excel: File, Info, Protect Workbook, Encrypt with Password: clear it), save, and submit it again")
		}
		return diag.At(file, 0, "this is an old Excel 97-2003 workbook (.xls)", "save it as an Excel workbook (.xlsx)")
	case looksLikeCSV(data):
		return diag.At(file, 0, "this is a CSV file, not an XLSX workbook", "rename it to .csv, with its dictionary beside it as NAME.indicators.csv")
	}
	return diag.At(file, 0, "not an XLSX workbook (not a zip file)", "save it from your spreadsheet program as .xlsx")
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// looksLikeCSV: UTF-8 text whose first line has separators.
func looksLikeCSV(data []byte) bool {
	head := data[:min(len(data), 4096)]
	valid := false
	for k := 0; k < 4 && k < len(head); k++ { // a character cut at the end
		if utf8.Valid(head[:len(head)-k]) {
			valid = true
			break
		}
	}
	line, _, _ := bytes.Cut(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), []byte("\n"))
	return valid && bytes.ContainsAny(line, ",;\t") && !bytes.ContainsRune(line, 0)
}

// openXLSX opens a workbook with the checks every reader needs, then
// reads its sheet list, styles and shared strings under the limits.
func openXLSX(file string, data []byte) (*workbook, error) {
	if len(data) > MaxFileSize {
		return nil, diag.At(file, 0, fmt.Sprintf("workbook is %d bytes, more than the %d allowed", len(data), MaxFileSize), "split the dataset")
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, notWorkbook(file, data)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, diag.At(file, 0, "not a readable XLSX workbook: "+err.Error(), "save it again as .xlsx")
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > MaxUnzippedSize {
		return nil, diag.At(file, 0, fmt.Sprintf("workbook unzips to %d bytes, more than the %d allowed", total, MaxUnzippedSize), "this looks like a zip bomb; submit the real workbook")
	}
	wb := &workbook{file: file, zr: zr, parts: map[string]*zip.File{}, budget: &budget{left: MaxUnzipped}}
	for _, f := range zr.File {
		wb.parts[f.Name] = f
	}
	fail := func(err error) error {
		var le *limitError
		if errors.As(err, &le) {
			return diag.At(file, 0, le.msg, "a dataset workbook this large is not a table of indicators; check that it is the right file, or split it")
		}
		return diag.At(file, 0, "not a readable XLSX workbook: "+err.Error(), "save it again as .xlsx")
	}
	paths, err := sheetPaths(zr)
	if err != nil {
		return nil, fail(err)
	}
	if len(paths) > MaxSheets {
		return nil, diag.At(file, 0, fmt.Sprintf("the workbook has %d sheets, more than the %d allowed", len(paths), MaxSheets), "keep the sheets data and indicators")
	}
	wb.sheets, wb.names = map[string]string{}, map[string]string{}
	for name, part := range paths {
		wb.sheets[strings.ToLower(name)] = part
		wb.names[strings.ToLower(name)] = name
	}
	if err := wb.readStyles(); err != nil {
		return nil, fail(err)
	}
	if err := wb.readShared(); err != nil {
		return nil, fail(err)
	}
	return wb, nil
}

// open opens a part under the workbook's budget; nil, nil when absent.
func (wb *workbook) open(name string) (io.ReadCloser, *partReader, error) {
	f := wb.parts[name]
	if f == nil {
		return nil, nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return rc, &partReader{r: rc, b: wb.budget}, nil
}

// builtinPercent and builtinDate are Excel's built-in number formats of
// those kinds (ECMA-376 18.8.30).
var (
	builtinPercent = map[int]bool{9: true, 10: true}
	builtinDate    = map[int]bool{14: true, 15: true, 16: true, 17: true, 22: true, 27: true, 30: true, 36: true, 50: true, 57: true}
)

// readStyles learns which cell styles show a percentage or a date.
func (wb *workbook) readStyles() error {
	rc, pr, err := wb.open("xl/styles.xml")
	if err != nil || rc == nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(pr)
	custom := map[int]string{}
	inXfs := false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("styles: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				id, _ := strconv.Atoi(attrOf(t, "numFmtId"))
				custom[id] = attrOf(t, "formatCode")
			case "cellXfs":
				inXfs = true
			case "xf":
				if !inXfs {
					continue
				}
				if len(wb.percent) >= 65536 {
					return &limitError{msg: "more than 65,536 cell styles"}
				}
				id, _ := strconv.Atoi(attrOf(t, "numFmtId"))
				code, isCustom := custom[id]
				wb.percent = append(wb.percent, builtinPercent[id] || isCustom && formatHas(code, '%'))
				wb.date = append(wb.date, builtinDate[id] || isCustom && (formatHas(code, 'y') || formatHas(code, 'd')))
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
}

// formatHas reports whether a number format code uses c outside quoted
// text and escapes: "0.0%" shows a percentage, "0.0\"%\"" does not.
func formatHas(code string, c byte) bool {
	quoted := false
	for i := 0; i < len(code); i++ {
		switch ch := code[i]; {
		case ch == '"':
			quoted = !quoted
		case quoted:
		case ch == '\\':
			i++
		case ch == '[': // colours and conditions
			if j := strings.IndexByte(code[i:], ']'); j > 0 {
				i += j
			}
		case ch == c || c >= 'a' && c <= 'z' && ch == c-32:
			return true
		}
	}
	return false
}

// readShared reads the shared strings under their limits.
func (wb *workbook) readShared() error {
	rc, pr, err := wb.open("xl/sharedStrings.xml")
	if err != nil || rc == nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(pr)
	var cur []byte
	inSI, inT, phonetic := false, false, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("shared strings: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI, cur = true, cur[:0]
			case "t":
				inT = inSI && phonetic == 0
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inT = false
			case "rPh":
				phonetic--
			case "si":
				inSI = false
				if len(wb.shared.ends) >= MaxSharedStrings {
					return &limitError{msg: fmt.Sprintf("the workbook has more than %d distinct texts (shared strings)", MaxSharedStrings)}
				}
				if len(wb.shared.buf)+len(cur) > MaxSharedBytes {
					return &limitError{msg: fmt.Sprintf("the workbook's texts (shared strings) take more than %d bytes", MaxSharedBytes)}
				}
				if need := len(wb.shared.buf) + len(cur); need > cap(wb.shared.buf) {
					// grow by doubling, but never past the limit
					grown := make([]byte, len(wb.shared.buf), min(max(2*cap(wb.shared.buf), need, 4096), MaxSharedBytes))
					copy(grown, wb.shared.buf)
					wb.shared.buf = grown
				}
				wb.shared.buf = append(wb.shared.buf, cur...)
				wb.shared.ends = append(wb.shared.ends, uint32(len(wb.shared.buf)))
			}
		case xml.CharData:
			if inT {
				if len(cur)+len(t) > MaxCellBytes {
					return &limitError{msg: fmt.Sprintf("a text of more than %d bytes (a cell holds at most 32,767 characters)", MaxCellBytes)}
				}
				cur = append(cur, t...)
			}
		}
	}
}

func attrOf(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// sheetRow is one row of a sheet as read: the cells' texts (raw values:
// numbers as stored), and what the workbook says about some of them.
type sheetRow struct {
	n        int      // 1-based row number
	cells    []string // by column
	percent  []bool   // by column: formatted as a percentage
	noResult []bool   // by column: a formula with no stored result
	errValue []string // by column: an error value (#DIV/0!...)
}

// sheetInfo is what a whole sheet says besides its rows.
type sheetInfo struct {
	formulas []string // cells holding a formula with a stored result
	merged   []string // merged ranges
}

// readRows streams the sheet's rows to fn in one pass: values, styles,
// formulas and merged cells, under the row, cell and size limits.
func (wb *workbook) readRows(sheet string, fn func(*sheetRow) error) (*sheetInfo, error) {
	part := wb.sheets[strings.ToLower(sheet)]
	rc, pr, err := wb.open(part)
	if err != nil {
		return nil, err
	}
	if rc == nil {
		return nil, fmt.Errorf("sheet %s has no part %q", sheet, part)
	}
	defer rc.Close()
	d := xml.NewDecoder(pr)
	r := &sheetReader{wb: wb, sheet: sheet, info: &sheetInfo{}, row: &sheetRow{}}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return r.info, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			err = r.start(t)
		case xml.CharData:
			err = r.text(t)
		case xml.EndElement:
			if t.Name.Local == "row" {
				err = fn(r.row)
			} else {
				err = r.end(t)
			}
		}
		if err != nil {
			return nil, err
		}
	}
}

// sheetReader is the state of reading one sheet's XML: the row being read
// and the cell being read in it.
type sheetReader struct {
	wb    *workbook
	sheet string
	info  *sheetInfo
	row   *sheetRow
	rows  int

	col               int
	cellType, cellRef string
	style             int
	hasF, hasV, inV   bool
	inCell            bool
	inIS, inT         bool
	val               []byte
}

// start reads an element's start: a row, a cell, a formula, a value, an
// inline string, a merged range.
func (r *sheetReader) start(t xml.StartElement) error {
	row, sheet := r.row, r.sheet
	switch t.Name.Local {
	case "row":
		r.rows++
		if r.rows%4096 == 0 && r.wb.ctx != nil && r.wb.ctx.Err() != nil {
			return r.wb.ctx.Err()
		}
		if r.rows > MaxRows {
			return &limitError{msg: fmt.Sprintf("sheet %s has more than %d rows", sheet, MaxRows)}
		}
		row.cells, row.percent, row.noResult, row.errValue = row.cells[:0], row.percent[:0], row.noResult[:0], row.errValue[:0]
		row.n++
		if n := attrOf(t, "r"); n != "" {
			v, err := strconv.Atoi(n)
			if err != nil || v < row.n || v > MaxRows {
				return fmt.Errorf("row number %q", n)
			}
			row.n = v
		}
		r.col = -1
	case "c":
		r.col++
		r.inCell = true
		r.cellRef, r.cellType = attrOf(t, "r"), attrOf(t, "t")
		if r.cellRef != "" {
			c, _, err := splitRef(r.cellRef)
			if err != nil || c < r.col {
				return fmt.Errorf("cell reference %q", r.cellRef)
			}
			r.col = c
		}
		if r.col >= MaxCellsPerRow {
			return &limitError{msg: fmt.Sprintf("row %d of sheet %s has more than %d cells", row.n, sheet, MaxCellsPerRow)}
		}
		r.style, _ = strconv.Atoi(attrOf(t, "s"))
		r.hasF, r.hasV, r.val = false, false, r.val[:0]
	case "f":
		r.hasF = true
	case "v":
		r.inV, r.hasV = true, true
	case "is":
		r.inIS = true
	case "t":
		r.inT = r.inIS
	case "mergeCell":
		if ref := attrOf(t, "ref"); ref != "" && len(r.info.merged) < 1000 {
			r.info.merged = append(r.info.merged, ref)
		}
	}
	return nil
}

// text reads the text of a value or an inline string, within the limit of
// a cell.
func (r *sheetReader) text(t xml.CharData) error {
	if r.inV || r.inT {
		if len(r.val)+len(t) > MaxCellBytes {
			return &limitError{msg: fmt.Sprintf("a cell of more than %d bytes in sheet %s (a cell holds at most 32,767 characters)", MaxCellBytes, r.sheet)}
		}
		r.val = append(r.val, t...)
	}
	return nil
}

// end reads an element's end; at a cell's, the cell's value goes into the
// row as Excel shows it.
func (r *sheetReader) end(t xml.EndElement) error {
	row, col := r.row, r.col
	switch t.Name.Local {
	case "v":
		r.inV = false
	case "t":
		r.inT = false
	case "is":
		r.inIS = false
		r.hasV = true
	case "c":
		if col < 0 || !r.inCell {
			return fmt.Errorf("a cell ends that never began (</c> in row %d)", row.n)
		}
		r.inCell = false
		for len(row.cells) <= col {
			row.cells = append(row.cells, "")
			row.percent = append(row.percent, false)
			row.noResult = append(row.noResult, false)
			row.errValue = append(row.errValue, "")
		}
		text := string(r.val)
		switch r.cellType {
		case "s":
			i, err := strconv.Atoi(text)
			s, ok := r.wb.shared.get(i)
			if err != nil || !ok {
				return fmt.Errorf("cell %s: shared string %q does not exist", r.cellRef, text)
			}
			text = s
		case "e":
			row.errValue[col], text = text, ""
		case "b":
			// TRUE/FALSE, as Excel shows it: not the number 1 or 0
			text = map[string]string{"1": "TRUE", "0": "FALSE"}[text]
		}
		if r.hasF && (!r.hasV || text == "" && r.cellType != "e") {
			row.noResult[col] = true
		} else if r.hasF && len(r.info.formulas) < 1000 {
			r.info.formulas = append(r.info.formulas, cellName(col, row.n))
		}
		if r.style > 0 && r.style < len(r.wb.percent) && r.wb.percent[r.style] && r.cellType == "" {
			row.percent[col] = true
		}
		row.cells[col] = text
	}
	return nil
}

// splitRef splits "AB12" into a 0-based column and a row.
func splitRef(ref string) (col, row int, err error) {
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
		if col > 16384 {
			return 0, 0, fmt.Errorf("column of %q", ref)
		}
	}
	if i == 0 {
		return 0, 0, fmt.Errorf("cell reference %q", ref)
	}
	row, err = strconv.Atoi(ref[i:])
	return col - 1, row, err
}

// shiftPercent gives the number a percentage-formatted cell shows: its
// stored value times 100, by moving the decimal point of the stored
// digits, so that 0.445 gives exactly 44.5 (not 44.500000000000007).
func shiftPercent(raw string) (string, bool) {
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return "", false
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	frac += "00"
	whole, frac = whole+frac[:2], frac[2:]
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	frac = strings.TrimRight(frac, "0")
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out, true
}

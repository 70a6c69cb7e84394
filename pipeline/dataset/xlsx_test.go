package dataset

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXCellsAsShown: a percentage-formatted cell is read as it shows,
// exactly, when the unit is a percentage (with a warning), and refused
// otherwise; a formula with no stored result and an error value are
// refused at their cells; TRUE is not the number 1.
func TestXLSXCellsAsShown(t *testing.T) {
	percent := func(f *excelize.File) {
		style, _ := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
		f.SetCellValue("data", "D2", 0.445)
		f.SetCellStyle("data", "D2", "D2", style)
		custom := "0.0%"
		style2, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
		f.SetCellValue("data", "D3", 0.5725)
		f.SetCellStyle("data", "D3", "D3", style2)
	}
	ds, err := ReadXLSX("forest", "forest.xlsx", testWorkbook(t, goodSheets(), percent))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, o := range ds.Obs {
		got[ds.CountryOf(o).Code] = o.Value
	}
	if got["VNM"] != 44.5 || got["KHM"] != 57.25 {
		t.Fatalf("percentage cells read as %v, want 44.5 and 57.25 exactly", got)
	}
	if w := ds.Warnings.Error(); !strings.Contains(w, "forest.xlsx data!D2: 2 value cells are formatted as percentages; each is read as it shows (0.445 shown as 44.5% is read as 44.5)") {
		t.Fatalf("warning: %s", w)
	}
	// a percentage in a column of tonnes: refused
	mt := func(f *excelize.File) {
		style, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
		f.SetCellValue("data", "D4", 0.78)
		f.SetCellStyle("data", "D4", "D4", style)
	}
	if _, err := ReadXLSX("forest", "forest.xlsx", testWorkbook(t, goodSheets(), mt)); err == nil || !strings.Contains(err.Error(), `forest.xlsx data!D4: this cell is formatted as a percentage: it shows 78%, stored as 0.78, but the unit of CO2 is "Mt"`) {
		t.Fatalf("percentage of Mt: %v", err)
	}
	cases := []struct {
		name string
		edit func(f *excelize.File)
		want string
	}{
		{"formula without result", func(f *excelize.File) {
			f.SetSheetRow("data", "A5", &[]any{"FOREST", "THA", 2010})
			f.SetCellFormula("data", "D5", "=A1*2")
		}, "forest.xlsx data!D5: the formula in this cell has no stored result; open and save the workbook in Excel so that results are stored"},
		{"boolean", func(f *excelize.File) { f.SetCellBool("data", "D2", true) }, `forest.xlsx data!D2: "TRUE" is not a number`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadXLSX("forest", "forest.xlsx", testWorkbook(t, goodSheets(), c.edit))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestShiftPercent(t *testing.T) {
	for raw, want := range map[string]string{"0.445": "44.5", "0.5725": "57.25", "1": "100", "0": "0", "-0.05": "-5", "0.001": "0.1", "1.5E-3": "0.15", "12.3456": "1234.56"} {
		if got, ok := shiftPercent(raw); !ok || got != want {
			t.Errorf("shiftPercent(%s) = %s, want %s", raw, got, want)
		}
	}
}

// rawWorkbook is a workbook written by hand: the sheets' XML (data and
// indicators) and the shared strings, for cells excelize does not write.
func rawWorkbook(t testing.TB, data, indicators, shared string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	put("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	put("xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="indicators" sheetId="1" r:id="rId1"/><sheet name="data" sheetId="2" r:id="rId2"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>`)
	put("xl/worksheets/sheet1.xml", `<worksheet><sheetData>`+indicators+`</sheetData></worksheet>`)
	put("xl/worksheets/sheet2.xml", `<worksheet><sheetData>`+data+`</sheetData></worksheet>`)
	if shared != "" {
		put("xl/sharedStrings.xml", `<sst>`+shared+`</sst>`)
	}
	zw.Close()
	return buf.Bytes()
}

// inlineRow is a row of inline-string cells.
func inlineRow(n int, cells ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, n)
	for _, c := range cells {
		b.WriteString(`<c t="inlineStr"><is><t>` + c + `</t></is></c>`)
	}
	return b.String() + "</row>"
}

var rawIndicators = inlineRow(1, "code", "name_en", "name_zh", "unit_en", "unit_zh", "decimals") +
	inlineRow(2, "FOREST", "Forest cover", "森林覆盖率", "%", "%", "1")

// TestRawCells: an error value, a formula with an empty result, rich
// text in shared strings and skipped rows, as Excel writes them.
func TestRawCells(t *testing.T) {
	head := inlineRow(1, "indicator", "country", "year", "value")
	cases := []struct{ name, data, shared, want string }{
		{"error value", head + `<row r="2"><c r="A2" t="inlineStr"><is><t>FOREST</t></is></c><c r="B2" t="inlineStr"><is><t>VNM</t></is></c><c r="C2"><v>2010</v></c><c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>`, "",
			"forest.xlsx data!D2: the cell holds the error #DIV/0!; correct the formula, or type the value"},
		{"formula, empty result", head + `<row r="2"><c r="A2" t="inlineStr"><is><t>FOREST</t></is></c><c r="B2" t="inlineStr"><is><t>VNM</t></is></c><c r="C2"><v>2010</v></c><c r="D2"><f>A1</f><v></v></c></row>`, "",
			"forest.xlsx data!D2: the formula in this cell has no stored result"},
		{"missing shared string", head + `<row r="2"><c r="A2" t="s"><v>7</v></c></row>`, `<si><t>x</t></si>`,
			"not a readable XLSX workbook: cell A2: shared string"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadXLSX("forest", "forest.xlsx", rawWorkbook(t, c.data, rawIndicators, c.shared))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got  %v\nwant %s", err, c.want)
			}
		})
	}
	// rich text (runs) and phonetic runs in a shared string; rows skipped
	data := head + `<row r="5"><c r="A5" t="s"><v>0</v></c><c r="B5" t="s"><v>1</v></c><c r="C5"><v>2010</v></c><c r="D5"><v>44.5</v></c></row>`
	shared := `<si><r><t>FOR</t></r><r><t>EST</t></r></si><si><t>VNM</t><rPh><t>ヴェ</t></rPh></si>`
	ds, err := ReadXLSX("forest", "forest.xlsx", rawWorkbook(t, data, rawIndicators, shared))
	if err != nil || len(ds.Obs) != 1 || ds.Cell(ds.Obs[0]) != "data!D5" || ds.Obs[0].Value != 44.5 {
		t.Fatalf("%v %+v", err, ds)
	}
}

// TestTooManySheets: a workbook of more sheets than allowed is refused
// before any is read.
func TestTooManySheets(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("xl/workbook.xml")
	io.WriteString(w, `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	for i := 0; i < MaxSheets+1; i++ {
		fmt.Fprintf(w, `<sheet name="s%d" sheetId="%d" r:id="rId%d"/>`, i, i+1, i+1)
	}
	io.WriteString(w, `</sheets></workbook>`)
	w, _ = zw.Create("xl/_rels/workbook.xml.rels")
	io.WriteString(w, `<Relationships/>`)
	zw.Close()
	if _, err := ReadXLSX("forest", "forest.xlsx", buf.Bytes()); err == nil || !strings.Contains(err.Error(), "the workbook has 256 sheets, more than the 255 allowed") {
		t.Fatalf("%v", err)
	}
}

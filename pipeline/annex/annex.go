// Package annex writes a build's data annex: one XLSX workbook with a
// README sheet (the publication, the build's PDFs with their hashes, every
// dataset file and batch of activity records read, with revisions and
// hashes), one sheet per table and chart made from a dataset, in reading
// order with bilingual headers, the exact numbers in the report's formats,
// units, notes and sources, and, for a publication with appendices, the
// plan tracker's states and records. The same input gives the same bytes.
package annex

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/manifest"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/xuri/excelize/v2"
)

// Sheets of the data annex for the plan tracker.
const (
	statusSheet  = "Activity status"
	recordsSheet = "Activity records"
)

// Name is the file name of a publication's data annex.
func Name(pubID string) string { return pubID + "-data.xlsx" }

// Input is what an annex is made of.
type Input struct {
	Pub *publication.Publication
	// EN and ZH are the chapters of the two editions as typeset, numbered
	// and with their tables and charts made; ZH is empty for a
	// publication in one language (EN then holds that language's).
	EN, ZH []*ms.Chapter
	// PDFs are the build's PDF files.
	PDFs []PDF
	// Datasets are the dataset files read (CSV dictionaries included).
	Datasets []manifest.Input
	// Tracker is the plan tracker of the appendices; nil when the
	// publication has none.
	Tracker *Tracker
	// References are the works the chapters cite, as the reference lists
	// print them in each language.
	References []Reference
}

// Reference is one work cited: its key, and its entry in the reference
// lists of the English and Chinese editions.
type Reference struct {
	Key, EN, ZH string
}

// referencesSheet lists the works cited.
const referencesSheet = "References"

// PDF is one PDF file of the build.
type PDF struct {
	Name   string
	Pages  int
	SHA256 string
}

// Tracker is the plan tracker an annex reports on, as of a date.
type Tracker struct {
	Register *activity.Register
	Records  []activity.Record
	Inputs   []manifest.Input // the batches of records read
	AsOf     string           // YYYY-MM-DD
	// Label gives the template's label of key in lang, for the wording of
	// states, commitments and progress.
	Label func(lang, key string) string
}

// item is a table or chart made from a dataset, in both languages.
type item struct {
	kind   string // Table or Figure
	number string
	en, zh ms.Block
}

// dataItems lists the tables and charts made from datasets, in reading
// order, pairing the English and Chinese editions.
func dataItems(en, zh []*ms.Chapter) []item {
	collect := func(chapters []*ms.Chapter) []ms.Block {
		var out []ms.Block
		for _, ch := range chapters {
			ch.Walk(func(b ms.Block) {
				switch b := b.(type) {
				case *ms.Table:
					if b.Notes != nil && !b.NoAnnex {
						out = append(out, b)
					}
				case *ms.Chart:
					out = append(out, b)
				}
			})
		}
		return out
	}
	e := collect(en)
	z := collect(zh)
	var items []item
	for i := range e {
		it := item{en: e[i]}
		if i < len(z) {
			it.zh = z[i]
		}
		switch b := e[i].(type) {
		case *ms.Table:
			it.kind, it.number = "Table", b.Number
		case *ms.Chart:
			it.kind, it.number = "Figure", b.Number
		}
		items = append(items, it)
	}
	return items
}

// Make writes the annex.
func Make(in Input) ([]byte, error) {
	w := &writer{in: in, f: excelize.NewFile(), numStyle: map[numFmt]int{}}
	defer w.f.Close()
	items := dataItems(in.EN, in.ZH)
	date, _ := in.Pub.Time()
	stamp := date.UTC().Format(time.RFC3339)
	if err := w.f.SetDocProps(&excelize.DocProperties{Created: stamp, Modified: stamp, Creator: "aceo", Title: in.Pub.Title.In("en") + " — data annex",
		Description: "Data annex of " + in.Pub.ID}); err != nil {
		return nil, fmt.Errorf("data annex: %w", err)
	}
	w.bold, _ = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err := w.readme(items); err != nil {
		return nil, err
	}
	for _, it := range items {
		if err := w.itemSheet(it); err != nil {
			return nil, err
		}
	}
	if in.Tracker != nil {
		if err := w.trackerSheets(); err != nil {
			return nil, err
		}
	}
	if len(in.References) > 0 {
		if err := w.referenceSheet(); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := w.f.Write(&buf); err != nil {
		return nil, fmt.Errorf("data annex: %w", err)
	}
	return canonicalZip(buf.Bytes())
}

// numFmt is a number style: decimals and a flag mark. The mark is part of
// the format, so the cell stays a number and reads as printed.
type numFmt struct {
	dec  int
	mark string
}

// writer writes the sheets of one workbook, a row at a time.
type writer struct {
	in       Input
	f        *excelize.File
	bold     int
	numStyle map[numFmt]int
	sw       *excelize.StreamWriter // the sheet being written
	r        int                    // its last row
	werr     error                  // the first write error, reported at the sheet's end
}

// style is the number style of dec decimals and a flag mark.
func (w *writer) style(dec int, mark string) int {
	k := numFmt{dec, mark}
	if id, ok := w.numStyle[k]; ok {
		return id
	}
	format := "#,##0"
	if dec > 0 {
		format += "." + strings.Repeat("0", dec)
	}
	if mark != "" {
		format += `" ` + mark + `"`
	}
	id, _ := w.f.NewStyle(&excelize.Style{CustomNumFmt: &format})
	w.numStyle[k] = id
	return id
}

// sheet starts writing sheet name (created unless it is the first).
func (w *writer) sheet(name string, first bool) error {
	if first {
		w.f.SetSheetName("Sheet1", name)
	} else if _, err := w.f.NewSheet(name); err != nil {
		return fmt.Errorf("data annex, sheet %s: %w", name, err)
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("data annex, sheet %s: %w", name, err)
	}
	w.sw, w.r = sw, 0
	return nil
}

func (w *writer) row(cells ...any) {
	w.r++
	cell, _ := excelize.CoordinatesToCellName(1, w.r)
	if err := w.sw.SetRow(cell, cells); err != nil && w.werr == nil {
		w.werr = err
	}
}

func (w *writer) head(cells ...string) {
	var cs []any
	for _, c := range cells {
		cs = append(cs, excelize.Cell{StyleID: w.bold, Value: c})
	}
	w.row(cs...)
}

func (w *writer) flush(sheet string) error {
	if w.werr == nil {
		w.werr = w.sw.Flush()
	}
	if w.werr != nil {
		return fmt.Errorf("data annex, sheet %s: %w", sheet, w.werr)
	}
	return nil
}

// readme writes the README sheet: the publication, the build's files,
// the inputs with their revisions and hashes, and the list of sheets.
func (w *writer) readme(items []item) error {
	in := w.in
	if err := w.sheet("README", true); err != nil {
		return err
	}
	w.sw.SetColWidth(1, 1, 22)
	w.sw.SetColWidth(2, 4, 48)
	w.head("Data annex / 数据附录")
	w.row("Publication / 出版物", in.Pub.Title.In("en"), in.Pub.Title.In("zh"))
	w.row("Identifier / 标识", in.Pub.ID)
	w.row("Edition date / 版本日期", in.Pub.Date)
	if n := in.Pub.Notice.In("en"); n != "" {
		w.row("Notice / 说明", n, in.Pub.Notice.In("zh"))
	}
	w.row("Made by / 生成工具", "aceo")
	w.row()
	w.head("Build file / 构建文件", "Pages / 页数", "", "SHA-256")
	for _, p := range in.PDFs {
		w.row(p.Name, p.Pages, "", p.SHA256)
	}
	w.row()
	w.head("Dataset / 数据集", "Source / 来源", "Revision / 修订版", "SHA-256")
	for _, d := range in.Datasets {
		w.row(d.Item, d.Key, d.Rev, d.SHA256)
	}
	if t := in.Tracker; t != nil {
		w.row()
		w.head("Activity records / 活动记录", "Source / 来源", "Revision / 修订版", "SHA-256")
		for _, b := range t.Inputs {
			w.row(t.Register.ID, b.Key, b.Rev, b.SHA256)
		}
		w.row("As of / 截至", t.AsOf)
	}
	w.row()
	w.head("Sheet / 工作表", "Title (English)", "标题（中文）")
	for _, it := range items {
		w.row(sheetName(it), ms.PlainText(caption(it.en)), ms.PlainText(caption(it.zh)))
	}
	if len(in.References) > 0 {
		w.row(referencesSheet, "Works cited", "参考文献")
	}
	if t := in.Tracker; t != nil {
		w.row(statusSheet, "Implementation status of the Action Plan, as of "+t.AsOf, "行动计划执行情况，截至"+t.AsOf)
		w.row(recordsSheet, "Progress records of the Action Plan's activities", "行动计划各项活动的进展记录")
	}
	return w.flush("README")
}

// itemSheet writes the sheet of one table or chart.
func (w *writer) itemSheet(it item) error {
	name := sheetName(it)
	if err := w.sheet(name, false); err != nil {
		return err
	}
	w.sw.SetColWidth(1, 1, 30)
	w.sw.SetColWidth(2, 20, 12)
	w.row(excelize.Cell{StyleID: w.bold, Value: name + "  " + ms.PlainText(caption(it.en))})
	w.row(excelize.Cell{StyleID: w.bold, Value: ms.PlainText(caption(it.zh))})
	w.row()
	header, body, values, labelsZH, notes := itemRows(it)
	var hdr []any
	for _, h := range header {
		hdr = append(hdr, excelize.Cell{StyleID: w.bold, Value: h})
	}
	w.row(hdr...)
	for i, rw := range body {
		label := rw[0]
		if i < len(labelsZH) && labelsZH[i] != label {
			label += " / " + labelsZH[i]
		}
		cs := []any{label}
		for k, v := range rw[1:] {
			if i < len(values) && k+1 < len(values[i]) && values[i][k+1] != nil {
				// the number itself, exact, shown with the report's
				// decimals and marks: no round trip through the text
				tv := values[i][k+1]
				cs = append(cs, excelize.Cell{StyleID: w.style(tv.Decimals, tv.Marks), Value: tv.V})
				continue
			}
			cs = append(cs, numberCell(v, w.style))
		}
		w.row(cs...)
	}
	w.row()
	for _, n := range notes {
		w.row(n)
	}
	return w.flush(name)
}

// trackerSheets writes the plan tracker's states as of the tracker's date
// and the records up to it.
func (w *writer) trackerSheets() error {
	t := w.in.Tracker
	asOf, err := time.Parse("2006-01-02", t.AsOf)
	if err != nil {
		return fmt.Errorf("data annex: as_of %q is not a date", t.AsOf)
	}
	words := func(lang string) activity.Words {
		return activity.Words{Lang: lang, Label: func(k string) string { return t.Label(lang, k) }}
	}
	en, zh := words("en"), words("zh")
	if err := w.sheet(statusSheet, false); err != nil {
		return err
	}
	w.sw.SetColWidth(1, 1, 9)
	w.sw.SetColWidth(2, 12, 30)
	w.head("Ref. / 编号", "Section / 部分", "Activity", "行动", "Lead / 牵头", "State / 状态", "State", "状态", "Commitment", "承诺", "Progress", "进展")
	for _, st := range activity.Evaluate(t.Register, t.Records, asOf) {
		a := st.Activity
		var cen, czh, pen, pzh []string
		for _, cs := range st.Commitments {
			cen, czh = append(cen, en.Commitment(cs.Commitment)), append(czh, zh.Commitment(cs.Commitment))
			pen, pzh = append(pen, en.Progress(cs)), append(pzh, zh.Progress(cs))
		}
		w.row(a.Ref, a.Section, a.Title.In("en"), a.Title.In("zh"), strings.Join(a.Lead, ", "), st.State.Key(), en.State(st.State), zh.State(st.State),
			strings.Join(cen, "; "), strings.Join(czh, "；"), strings.Join(pen, "; "), strings.Join(pzh, "；"))
	}
	if err := w.flush(statusSheet); err != nil {
		return err
	}

	if err := w.sheet(recordsSheet, false); err != nil {
		return err
	}
	w.sw.SetColWidth(1, 3, 12)
	w.sw.SetColWidth(4, 9, 30)
	hdr := []string{"Ref. / 编号", "Date / 日期", "Status / 状态", "Note", "说明", "Event", "活动", "Evidence / 证明", "Country / 国家", "Funding source / 资金来源", "Amount (USD) / 金额（美元）"}
	for _, c := range dataset.Countries {
		hdr = append(hdr, c.Code)
	}
	w.head(hdr...)
	recs := append([]activity.Record(nil), t.Records...)
	activity.SortRecords(recs)
	for _, rc := range recs {
		if rc.Date > t.AsOf {
			continue
		}
		cells := []any{rc.Ref, rc.Date, rc.Status, rc.Note["en"], rc.Note["zh"], rc.Event["en"], rc.Event["zh"], rc.Evidence, rc.Country, rc.Source, nil}
		if rc.AmountUSD != 0 {
			cells[10] = excelize.Cell{StyleID: w.style(0, ""), Value: rc.AmountUSD}
		}
		for _, c := range dataset.Countries {
			if n, ok := rc.Attendance[c.Code]; ok {
				cells = append(cells, n)
			} else {
				cells = append(cells, nil)
			}
		}
		w.row(cells...)
	}
	return w.flush(recordsSheet)
}

// referenceSheet writes the works cited, a row each: the key and the
// entry in each edition's style.
func (w *writer) referenceSheet() error {
	if err := w.sheet(referencesSheet, false); err != nil {
		return err
	}
	w.sw.SetColWidth(1, 1, 18)
	w.sw.SetColWidth(2, 3, 80)
	w.head("Key / 键", "Reference (English)", "参考文献（中文）")
	for _, r := range w.in.References {
		w.row(r.Key, r.EN, r.ZH)
	}
	return w.flush(referencesSheet)
}

// canonicalZip rewrites a zip archive with its entries in a fixed order
// ([Content_Types].xml first, then by name) and fixed times: excelize
// writes the parts of a workbook in map order, so two writes of the same
// workbook can differ in bytes.
func canonicalZip(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("data annex: %w", err)
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i].Name, files[j].Name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return a < b
	})
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range files {
		r, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("data annex: %w", err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err == nil {
			_, err = io.Copy(w, r)
		}
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("data annex: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("data annex: %w", err)
	}
	return out.Bytes(), nil
}

func sheetName(it item) string { return it.kind + " " + it.number }

func caption(b ms.Block) []ms.Span {
	switch b := b.(type) {
	case *ms.Table:
		return b.Caption
	case *ms.Chart:
		return b.Caption
	}
	return nil
}

func cells(r ms.Row) []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = ms.PlainText(c)
	}
	return out
}

func lines(ls [][]ms.Span) []string {
	var out []string
	for _, l := range ls {
		out = append(out, ms.PlainText(l))
	}
	return out
}

// itemRows gives a table's or chart's header (English and Chinese) and
// rows as printed in English, the Chinese row labels, and the notes of both editions (units first for a
// chart, whose caption does not carry them).
func itemRows(it item) (header []string, body [][]string, values [][]*ms.CellValue, labelsZH, notes []string) {
	switch en := it.en.(type) {
	case *ms.Table:
		header = cells(en.Header[0])
		for _, rw := range en.Rows {
			body = append(body, cells(rw))
		}
		values = en.Values
		notes = lines(en.Notes)
		if zh, ok := it.zh.(*ms.Table); ok {
			for i, h := range cells(zh.Header[0]) {
				if i < len(header) && h != header[i] {
					header[i] += " / " + h
				}
			}
			for _, rw := range zh.Rows {
				labelsZH = append(labelsZH, ms.PlainText(rw[0]))
			}
			notes = append(notes, lines(zh.Notes)...)
		}
	case *ms.Chart:
		header, body, values = chartRows(en)
		header[0] = "Country / 国家"
		notes = append([]string{"Unit: " + en.Unit}, lines(en.Notes)...)
		if zh, ok := it.zh.(*ms.Chart); ok {
			_, zbody, _ := chartRows(zh)
			for _, rw := range zbody {
				labelsZH = append(labelsZH, rw[0])
			}
			notes = append(append(notes, "单位："+zh.Unit), lines(zh.Notes)...)
		}
	}
	return
}

// chartRows turns a chart's values into rows as a table would print them:
// bar charts and maps one row per country, line charts one row per series
// across the years.
func chartRows(c *ms.Chart) (header []string, body [][]string, values [][]*ms.CellValue) {
	cell := func(rw *[]string, vs *[]*ms.CellValue, v float64, missing bool) {
		if missing {
			*rw, *vs = append(*rw, ".."), append(*vs, nil)
			return
		}
		*rw = append(*rw, dataset.FormatNumber(v, c.Decimals))
		*vs = append(*vs, &ms.CellValue{V: v, Decimals: c.Decimals})
	}
	if c.Kind == "bar" || c.Kind == "map" {
		header = []string{"", c.Series[0].Name}
		for i, cat := range c.Categories {
			rw, vs := []string{cat}, []*ms.CellValue{nil}
			cell(&rw, &vs, c.Series[0].Values[i], c.Series[0].Missing[i])
			body, values = append(body, rw), append(values, vs)
		}
		return
	}
	header = append([]string{""}, c.X...)
	for _, s := range c.Series {
		rw, vs := []string{s.Name}, []*ms.CellValue{nil}
		for i, v := range s.Values {
			cell(&rw, &vs, v, s.Missing[i])
		}
		body, values = append(body, rw), append(values, vs)
	}
	return
}

// numberCell writes a value as shown in the report as a number in the
// same format, a flag mark after it included; ".." and other text stay
// text.
func numberCell(shown string, style func(dec int, mark string) int) any {
	v, mark, _ := strings.Cut(strings.ReplaceAll(strings.TrimSpace(shown), "\u00a0", " "), " ")
	clean := strings.ReplaceAll(strings.ReplaceAll(v, ",", ""), "−", "-")
	n, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		return shown
	}
	dec := 0
	if i := strings.IndexByte(clean, '.'); i >= 0 {
		dec = len(clean) - i - 1
	}
	return excelize.Cell{StyleID: style(dec, mark), Value: n}
}

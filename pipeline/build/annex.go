package build

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
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/xuri/excelize/v2"
)

// Sheets of the data annex for the plan tracker.
const (
	statusSheet  = "Activity status"
	recordsSheet = "Activity records"
)

// AnnexName is the file name of a publication's data annex.
func AnnexName(pubID string) string { return pubID + "-data.xlsx" }

// annexItem is a table or chart made from a dataset, in both languages.
type annexItem struct {
	kind   string // Table or Figure
	number string
	en, zh ms.Block
}

// dataItems lists the tables and charts made from datasets, in reading
// order, pairing the English and Chinese editions.
func dataItems(en, zh *typeset.Edition) []annexItem {
	collect := func(ed *typeset.Edition) []ms.Block {
		var out []ms.Block
		for _, ch := range ed.Chapters {
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
	var z []ms.Block
	if zh != nil {
		z = collect(zh)
	}
	var items []annexItem
	for i := range e {
		it := annexItem{en: e[i]}
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

// Annex writes the data annex of a build whose PDFs are outs: a README
// sheet (publication, the build's PDFs with their hashes, datasets with
// their revisions and hashes) and one sheet per table and
// chart made from a dataset, with bilingual headers, the values as shown,
// units, notes and sources. It returns nil when the publication uses no
// dataset. The same inputs give the same bytes.
func Annex(s *Sources, opt Options, outs []Output) ([]byte, error) {
	if len(s.Datasets) == 0 && len(s.Pub.Appendices) == 0 {
		return nil, nil
	}
	// The annex is bilingual whatever editions this build prints: the
	// editions built are reused, the others assembled as drafts. A publication
	// without a Chinese edition gets English-only labels.
	var en, zh *typeset.Edition
	for _, lang := range s.Pub.Languages {
		var ed *typeset.Edition
		for _, o := range outs {
			if o.Lang == lang {
				ed = o.Edition
			}
		}
		if ed == nil {
			t, err := typeset.LoadTemplate(opt.Templates, s.Pub.Template)
			if err != nil {
				return nil, err
			}
			// a language this build does not print may lack drafts (a
			// preview of the English edition): its draft edition stands
			// in, the English text for a missing translation, as the
			// captions of its tables are bilingual anyway
			ed, _ = s.edition(t, lang, true)
		}
		switch lang {
		case "en":
			en = ed
		case "zh":
			zh = ed
		}
	}
	if en == nil {
		en, zh = zh, nil
	}
	if en == nil {
		return nil, nil
	}
	items := dataItems(en, zh)

	f := excelize.NewFile()
	defer f.Close()
	date, _ := s.Pub.Time()
	stamp := date.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Created: stamp, Modified: stamp, Creator: "aceo", Title: s.Pub.Title.In("en") + " — data annex",
		Description: "Data annex of " + s.Pub.ID}); err != nil {
		return nil, fmt.Errorf("data annex: %w", err)
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	// one number style per decimals and flag mark: the mark is part of
	// the format, so the cell stays a number and reads as printed
	type numFmt struct {
		dec  int
		mark string
	}
	numStyle := map[numFmt]int{}
	style := func(dec int, mark string) int {
		k := numFmt{dec, mark}
		if id, ok := numStyle[k]; ok {
			return id
		}
		format := "#,##0"
		if dec > 0 {
			format += "." + strings.Repeat("0", dec)
		}
		if mark != "" {
			format += `" ` + mark + `"`
		}
		id, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		numStyle[k] = id
		return id
	}

	// README
	f.SetSheetName("Sheet1", "README")
	sw, err := f.NewStreamWriter("README")
	if err != nil {
		return nil, fmt.Errorf("data annex: %w", err)
	}
	sw.SetColWidth(1, 1, 22)
	sw.SetColWidth(2, 4, 48)
	r := 0
	var werr error // the first write error, reported at the sheet's end
	row := func(sw *excelize.StreamWriter, cells ...any) {
		r++
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, cells); err != nil && werr == nil {
			werr = err
		}
	}
	flush := func(sw *excelize.StreamWriter, sheet string) error {
		if werr == nil {
			werr = sw.Flush()
		}
		if werr != nil {
			return fmt.Errorf("data annex, sheet %s: %w", sheet, werr)
		}
		return nil
	}
	head := func(sw *excelize.StreamWriter, cells ...string) {
		var cs []any
		for _, c := range cells {
			cs = append(cs, excelize.Cell{StyleID: bold, Value: c})
		}
		row(sw, cs...)
	}
	head(sw, "Data annex / 数据附录")
	row(sw, "Publication / 出版物", s.Pub.Title.In("en"), s.Pub.Title.In("zh"))
	row(sw, "Identifier / 标识", s.Pub.ID)
	row(sw, "Edition date / 版本日期", s.Pub.Date)
	if n := s.Pub.Notice.In("en"); n != "" {
		row(sw, "Notice / 说明", n, s.Pub.Notice.In("zh"))
	}
	row(sw, "Made by / 生成工具", "aceo")
	row(sw)
	head(sw, "Build file / 构建文件", "Pages / 页数", "", "SHA-256")
	for _, o := range outs {
		row(sw, FileName(s.Pub, o.Lang), o.Pages, "", sha(o.PDF))
	}
	row(sw)
	head(sw, "Dataset / 数据集", "Source / 来源", "Revision / 修订版", "SHA-256")
	// every dataset file read, CSV dictionaries included
	for _, in := range s.Inputs {
		if in.Kind == manifest.InDataset {
			row(sw, in.Item, in.Key, in.Rev, in.SHA256)
		}
	}
	if len(s.Pub.Appendices) > 0 {
		row(sw)
		head(sw, "Activity records / 活动记录", "Source / 来源", "Revision / 修订版", "SHA-256")
		for _, in := range s.ActivityInputs {
			row(sw, s.Register.ID, in.Key, in.Rev, in.SHA256)
		}
		row(sw, "As of / 截至", s.Pub.AsOf)
	}
	row(sw)
	head(sw, "Sheet / 工作表", "Title (English)", "标题（中文）")
	for _, it := range items {
		row(sw, sheetName(it), ms.PlainText(caption(it.en)), ms.PlainText(caption(it.zh)))
	}
	if len(s.Pub.Appendices) > 0 {
		row(sw, statusSheet, "Implementation status of the Action Plan, as of "+s.Pub.AsOf, "行动计划执行情况，截至"+s.Pub.AsOf)
		row(sw, recordsSheet, "Progress records of the Action Plan's activities", "行动计划各项活动的进展记录")
	}
	if err := flush(sw, "README"); err != nil {
		return nil, err
	}

	for _, it := range items {
		name := sheetName(it)
		if _, err := f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("data annex, sheet %s: %w", name, err)
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return nil, fmt.Errorf("data annex, sheet %s: %w", name, err)
		}
		sw.SetColWidth(1, 1, 30)
		sw.SetColWidth(2, 20, 12)
		r = 0
		row(sw, excelize.Cell{StyleID: bold, Value: name + "  " + ms.PlainText(caption(it.en))})
		row(sw, excelize.Cell{StyleID: bold, Value: ms.PlainText(caption(it.zh))})
		row(sw)
		header, body, values, labelsZH, notes := itemRows(it)
		var hdr []any
		for _, h := range header {
			hdr = append(hdr, excelize.Cell{StyleID: bold, Value: h})
		}
		row(sw, hdr...)
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
					cs = append(cs, excelize.Cell{StyleID: style(tv.Decimals, tv.Marks), Value: tv.V})
					continue
				}
				cs = append(cs, numberCell(v, style))
			}
			row(sw, cs...)
		}
		row(sw)
		for _, n := range notes {
			row(sw, n)
		}
		if err := flush(sw, name); err != nil {
			return nil, err
		}
	}
	if len(s.Pub.Appendices) > 0 {
		t, err := typeset.LoadTemplate(orDefault(opt.Templates), s.Pub.Template)
		if err != nil {
			return nil, err
		}
		asOf, err := time.Parse("2006-01-02", s.Pub.AsOf)
		if err != nil {
			return nil, fmt.Errorf("data annex: as_of %q is not a date", s.Pub.AsOf)
		}
		words := func(lang string) activity.Words {
			return activity.Words{Lang: lang, Label: func(k string) string { return t.Label(lang, k) }}
		}
		en, zh := words("en"), words("zh")
		for _, sheet := range []string{statusSheet, recordsSheet} {
			if _, err := f.NewSheet(sheet); err != nil {
				return nil, fmt.Errorf("data annex, sheet %s: %w", sheet, err)
			}
			sw, err := f.NewStreamWriter(sheet)
			if err != nil {
				return nil, fmt.Errorf("data annex, sheet %s: %w", sheet, err)
			}
			r = 0
			if sheet == statusSheet {
				sw.SetColWidth(1, 1, 9)
				sw.SetColWidth(2, 12, 30)
				head(sw, "Ref. / 编号", "Section / 部分", "Activity", "行动", "Lead / 牵头", "State / 状态", "State", "状态", "Commitment", "承诺", "Progress", "进展")
				for _, st := range activity.Evaluate(s.Register, s.Records, asOf) {
					a := st.Activity
					var cen, czh, pen, pzh []string
					for _, cs := range st.Commitments {
						cen, czh = append(cen, en.Commitment(cs.Commitment)), append(czh, zh.Commitment(cs.Commitment))
						pen, pzh = append(pen, en.Progress(cs)), append(pzh, zh.Progress(cs))
					}
					row(sw, a.Ref, a.Section, a.Title.In("en"), a.Title.In("zh"), strings.Join(a.Lead, ", "), st.State.Key(), en.State(st.State), zh.State(st.State),
						strings.Join(cen, "; "), strings.Join(czh, "；"), strings.Join(pen, "; "), strings.Join(pzh, "；"))
				}
			} else {
				sw.SetColWidth(1, 3, 12)
				sw.SetColWidth(4, 9, 30)
				hdr := []string{"Ref. / 编号", "Date / 日期", "Status / 状态", "Note", "说明", "Event", "活动", "Evidence / 证明", "Country / 国家", "Funding source / 资金来源", "Amount (USD) / 金额（美元）"}
				for _, c := range dataset.Countries {
					hdr = append(hdr, c.Code)
				}
				head(sw, hdr...)
				recs := append([]activity.Record(nil), s.Records...)
				activity.SortRecords(recs)
				for _, rc := range recs {
					if rc.Date > s.Pub.AsOf {
						continue
					}
					cells := []any{rc.Ref, rc.Date, rc.Status, rc.Note["en"], rc.Note["zh"], rc.Event["en"], rc.Event["zh"], rc.Evidence, rc.Country, rc.Source, nil}
					if rc.AmountUSD != 0 {
						cells[10] = excelize.Cell{StyleID: style(0, ""), Value: rc.AmountUSD}
					}
					for _, c := range dataset.Countries {
						if n, ok := rc.Attendance[c.Code]; ok {
							cells = append(cells, n)
						} else {
							cells = append(cells, nil)
						}
					}
					row(sw, cells...)
				}
			}
			if err := flush(sw, sheet); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("data annex: %w", err)
	}
	return canonicalZip(buf.Bytes())
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

func sheetName(it annexItem) string { return it.kind + " " + it.number }

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
func itemRows(it annexItem) (header []string, body [][]string, values [][]*ms.CellValue, labelsZH, notes []string) {
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
// bar charts one row per country, line charts one row per series across
// the years.
func chartRows(c *ms.Chart) (header []string, body [][]string, values [][]*ms.CellValue) {
	cell := func(rw *[]string, vs *[]*ms.CellValue, v float64, missing bool) {
		if missing {
			*rw, *vs = append(*rw, ".."), append(*vs, nil)
			return
		}
		*rw = append(*rw, dataset.FormatNumber(v, c.Decimals))
		*vs = append(*vs, &ms.CellValue{V: v, Decimals: c.Decimals})
	}
	if c.Kind == "bar" {
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

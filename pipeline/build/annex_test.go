package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/dataset"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/xuri/excelize/v2"
)

// TestAnnex: the data annex has a README naming every dataset with the
// SHA-256 of its file, then one sheet per aceo-table and aceo-chart block
// in reading order, whose numbers are the dataset's values (rounded to the
// dictionary's decimals for tables, as printed); two builds give the same
// bytes.
func TestAnnex(t *testing.T) {
	srcs, outs := buildSamples(t)
	src := srcs["aceo-sample"]
	opt := Options{}
	data, err := Annex(src, opt, outs["aceo-sample"])
	if err != nil {
		t.Fatal(err)
	}
	again, err := Annex(src, opt, outs["aceo-sample"])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatal("two annexes of the same sources differ")
	}
	// the editions the PDFs were typeset from, or editions assembled
	// afresh: the same annex (typesetting does not change an edition)
	bare := append([]Output(nil), outs["aceo-sample"]...)
	for i := range bare {
		bare[i].Edition = nil
	}
	if fresh, err := Annex(src, opt, bare); err != nil || !bytes.Equal(fresh, data) {
		t.Fatalf("the annex from fresh editions differs (%v)", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	// README: every dataset, its file and its hash
	readme, err := f.GetRows("README")
	if err != nil {
		t.Fatal(err)
	}
	flat := ""
	for _, r := range readme {
		flat += strings.Join(r, "\t") + "\n"
	}
	if len(src.Datasets) < 3 {
		t.Fatalf("sample uses %d datasets, want at least 3 (the tables and charts use three)", len(src.Datasets))
	}
	for _, o := range outs["aceo-sample"] {
		sum := sha256.Sum256(o.PDF)
		if !strings.Contains(flat, FileName(src.Pub, o.Lang)+"\t"+strconv.Itoa(o.Pages)+"\t\t"+hex.EncodeToString(sum[:])) {
			t.Errorf("README does not list %s with its pages and hash", FileName(src.Pub, o.Lang))
		}
	}
	for name, in := range src.DatasetInputs {
		raw, err := os.ReadFile(in.Key)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(raw)
		if !strings.Contains(flat, name+"\t"+in.Key+"\t\t"+hex.EncodeToString(sum[:])) {
			t.Errorf("README does not list %s (%s) with its hash:\n%s", name, in.Key, flat)
		}
	}

	// one sheet per data block, in reading order
	type block struct {
		ch *ms.Chapter
		cb *ms.CodeBlock
	}
	var blocks []block
	for _, id := range src.Pub.Chapters {
		ch := src.Chapters[id]["en"]
		ch.Walk(func(b ms.Block) {
			if cb, ok := b.(*ms.CodeBlock); ok && (cb.Info == "aceo-table" || cb.Info == "aceo-chart" || cb.Info == "aceo-map") {
				blocks = append(blocks, block{ch, cb})
			}
		})
	}
	sheets := f.GetSheetList()
	// then the appendices' tables and chart (Table A.1 is given as the
	// bilingual status sheet instead), the two tracker sheets and the
	// works cited
	appx := []string{"Table B.1", "Table B.2", "Figure B.1", "Table C.1", "Table C.2", "Table C.3", "Activity status", "Activity records", "References"}
	if sheets[0] != "README" || len(sheets) != len(blocks)+1+len(appx) || strings.Join(sheets[len(blocks)+1:], ",") != strings.Join(appx, ",") {
		t.Fatalf("sheets %q, want README, %d data sheets and %q", sheets, len(blocks), appx)
	}
	// the works cited, each once, in the order of the English list, in
	// both styles
	refs, err := f.GetRows("References")
	if err != nil || len(refs) != 17 || refs[0][0] != "Key / 键" {
		t.Fatalf("References sheet: %d rows %v", len(refs), err)
	}
	for _, r := range refs[1:] {
		if _, ok := src.Bib.Entry(r[0]); !ok || len(r) != 3 || r[1] == "" || r[2] == "" {
			t.Errorf("reference row %q", r)
		}
	}
	checked, flagged := 0, 0
	for i, b := range blocks {
		sheet := sheets[i+1]
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		// value(country, year) from the observations
		shown, err := f.GetRows(sheet) // as formatted
		if err != nil {
			t.Fatal(err)
		}
		value := func(ds *dataset.Dataset, ind, code string, year int) (float64, string, bool) {
			for _, ob := range ds.Obs {
				if ds.IndicatorOf(ob) == ind && ds.CountryOf(ob).Code == code && int(ob.Year) == year && !ob.Missing {
					return ob.Value, ob.FlagName(), true
				}
			}
			return 0, "", false
		}
		country := func(label string) string {
			en, _, _ := strings.Cut(label, " / ")
			for _, c := range dataset.Countries {
				if c.Name("en") == en {
					return c.Code
				}
			}
			return ""
		}
		if b.cb.Info == "aceo-table" {
			if !strings.HasPrefix(sheet, "Table ") {
				t.Fatalf("sheet %q for an aceo-table", sheet)
			}
			spec, err := dataset.ParseTableSpec(b.ch.File, b.cb.SrcLine, b.cb.Text)
			if err != nil {
				t.Fatal(err)
			}
			ds := src.Datasets[spec.Dataset]
			header := rows[3]
			byIndicator := spec.Layout == "indicators-countries"
			for k, r := range rows[4:] {
				if len(r) == 0 {
					continue
				}
				// countries by years, or indicators by countries in one year
				ind, code := spec.Indicator, country(r[0])
				switch {
				case byIndicator && k < len(spec.Indicators):
					ind = spec.Indicators[k]
				case byIndicator || code == "":
					continue // aggregates, notes
				}
				dec := ds.Indicators[ind].Decimals
				for j := 1; j < len(r) && j < len(header); j++ {
					y, _ := strconv.Atoi(header[j])
					if byIndicator {
						if code, y = country(header[j]), spec.Years.List[0]; code == "" {
							continue // an aggregate
						}
					}
					v, flag, ok := value(ds, ind, code, y)
					// a flagged value shows its mark, as in the PDF
					num, mark, _ := strings.Cut(shown[k+4][j], " ")
					if ok && (mark != "") != (flag != "") {
						t.Errorf("%s %s %d: shown %q, flag %q", sheet, code, y, shown[k+4][j], flag)
					}
					if ok && num != dataset.FormatNumber(v, dec) {
						t.Errorf("%s %s %d: shown %q, want %s", sheet, code, y, num, dataset.FormatNumber(v, dec))
					}
					// and the cell holds the number itself, exactly
					if raw, err := strconv.ParseFloat(rows[k+4][j], 64); ok && (err != nil || raw != v) {
						t.Errorf("%s %s %d: the cell holds %q, the dataset %v", sheet, code, y, rows[k+4][j], v)
					}
					if flag != "" {
						flagged++
					}
					if !ok {
						if r[j] != ".." {
							t.Errorf("%s %s %d: %q, want ..", sheet, code, y, r[j])
						}
						continue
					}
					got, err := strconv.ParseFloat(r[j], 64)
					want, _ := strconv.ParseFloat(strings.ReplaceAll(dataset.FormatNumber(v, dec), ",", ""), 64)
					if err != nil || got != want {
						t.Errorf("%s %s %d: %q, want %v", sheet, code, y, r[j], want)
					}
					checked++
				}
			}
			continue
		}
		if !strings.HasPrefix(sheet, "Figure ") {
			t.Fatalf("sheet %q for an aceo-chart", sheet)
		}
		spec, err := dataset.ParseChartSpec(b.ch.File, b.cb.SrcLine, b.cb.Text)
		if b.cb.Info == "aceo-map" {
			// a map's sheet is a bar chart's: a row per country, the year's values
			var ms *dataset.MapSpec
			ms, err = dataset.ParseMapSpec(b.ch.File, b.cb.SrcLine, b.cb.Text)
			if err == nil {
				spec = &dataset.ChartSpec{Type: "bar", Dataset: ms.Dataset, Indicator: ms.Indicator, Year: ms.Year}
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		ds := src.Datasets[spec.Dataset]
		header := rows[3]
		for _, r := range rows[4:] {
			if len(r) == 0 {
				continue
			}
			code := country(r[0])
			if code == "" {
				continue
			}
			for j := 1; j < len(r) && j < len(header); j++ {
				y := spec.Year
				if spec.Type == "line" {
					y, _ = strconv.Atoi(header[j])
				}
				v, _, ok := value(ds, spec.Indicator, code, y)
				got, err := strconv.ParseFloat(r[j], 64)
				want, _ := strconv.ParseFloat(strings.ReplaceAll(dataset.FormatNumber(v, ds.Indicators[spec.Indicator].Decimals), ",", ""), 64)
				if !ok && r[j] != ".." || ok && (err != nil || got != want) {
					t.Errorf("%s %s %d: %q, want %v", sheet, code, y, r[j], want)
				}
				checked++
			}
		}
	}
	if checked < 80 || flagged == 0 {
		t.Fatalf("only %d annex values checked, %d of them flagged", checked, flagged)
	}
}

package annex

import (
	"bytes"
	"testing"

	"github.com/aceo-project/aceo/pipeline/manifest"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/xuri/excelize/v2"
)

func sp(s string) []ms.Span { return []ms.Span{{Text: s}} }

func table(caption, country, unit string, v float64) *ms.Table {
	return &ms.Table{Caption: sp(caption), Number: "1.1",
		Header: []ms.Row{{sp(""), sp("2010")}},
		Rows:   []ms.Row{{sp(country), sp("44.5 a")}},
		Values: [][]*ms.CellValue{{nil, {V: v, Decimals: 1, Marks: "a"}}},
		Notes:  [][]ms.Span{sp(unit)}}
}

// TestMake: from narrow inputs (a publication, the chapters of two
// editions, the PDFs and the dataset files read), the annex has a README
// naming them and a sheet per table whose cell holds the exact number
// with the printed decimals and mark; two makes give the same bytes.
func TestMake(t *testing.T) {
	pub := &publication.Publication{ID: "demo", Date: "2013-01-01", Languages: []string{"en", "zh"},
		Title: publication.Text{"en": "Demo", "zh": "示例"}}
	in := Input{Pub: pub,
		EN:       []*ms.Chapter{{Blocks: []ms.Block{table("Forest cover", "Viet Nam", "Unit: %", 44.4999)}}},
		ZH:       []*ms.Chapter{{Blocks: []ms.Block{table("森林覆盖率", "越南", "单位：%", 44.4999)}}},
		PDFs:     []PDF{{Name: "demo-en.pdf", Pages: 12, SHA256: "ab12"}},
		Datasets: []manifest.Input{{Kind: manifest.InDataset, Item: "forests", Key: "datasets/demo/forests.xlsx", Rev: "r1", SHA256: "cd34"}},
	}
	data, err := Make(in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Make(in)
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("two makes differ (%v)", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "README" || got[1] != "Table 1.1" {
		t.Fatalf("sheets %v", got)
	}
	readme, _ := f.GetRows("README")
	flat := ""
	for _, r := range readme {
		for _, c := range r {
			flat += c + "|"
		}
	}
	for _, want := range []string{"demo-en.pdf|12||ab12|", "forests|datasets/demo/forests.xlsx|r1|cd34|", "Table 1.1|Forest cover|森林覆盖率|"} {
		if !bytes.Contains([]byte(flat), []byte(want)) {
			t.Errorf("README lacks %q: %s", want, flat)
		}
	}
	// the exact value, not the printed text
	raw, err := f.GetCellValue("Table 1.1", "B5", excelize.Options{RawCellValue: true})
	if err != nil || raw != "44.4999" {
		t.Errorf("B5 raw %q (%v), want the exact 44.4999", raw, err)
	}
	shown, _ := f.GetCellValue("Table 1.1", "B5")
	if shown != "44.5 a" {
		t.Errorf("B5 shown as %q, want 44.5 a", shown)
	}
	label, _ := f.GetCellValue("Table 1.1", "A5")
	if label != "Viet Nam / 越南" {
		t.Errorf("A5 %q", label)
	}
}

// TestReferencesSheet: the works cited are a sheet of their own, a row
// each with the key and the entry of each edition, and the README lists
// the sheet.
func TestReferencesSheet(t *testing.T) {
	pub := &publication.Publication{ID: "demo", Date: "2013-01-01", Languages: []string{"en", "zh"}, Title: publication.Text{"en": "Demo", "zh": "示例"}}
	in := Input{Pub: pub, References: []Reference{{Key: "fao2010", EN: "FAO (2010). Assessment.", ZH: "FAO, 2010. Assessment[R]."}}}
	data, err := Make(in)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("References")
	if err != nil || len(rows) != 2 || rows[1][0] != "fao2010" || rows[1][1] != "FAO (2010). Assessment." || rows[1][2] != "FAO, 2010. Assessment[R]." {
		t.Fatalf("References sheet: %q %v", rows, err)
	}
	readme, _ := f.GetRows("README")
	found := false
	for _, r := range readme {
		found = found || len(r) > 0 && r[0] == "References"
	}
	if !found {
		t.Errorf("the README does not list the References sheet: %q", readme)
	}
}

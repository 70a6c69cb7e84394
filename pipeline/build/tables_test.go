package build

import (
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/dataset"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// TestTableNumbersInPDF: every number printed in a table made from a
// dataset equals the dataset's value rounded to the dictionary's decimals,
// row by row, in both editions.
func TestTableNumbersInPDF(t *testing.T) {
	needTool(t, "pdftotext")
	srcs, outs := buildSamples(t)
	src := srcs["aceo-sample"]
	for _, o := range outs["aceo-sample"] {
		text := bodyText(t, o.PDF)
		rows := 0
		for _, id := range src.Pub.Chapters {
			ch := src.Chapters[id][o.Lang]
			ch.Walk(func(b ms.Block) {
				cb, ok := b.(*ms.CodeBlock)
				if !ok || cb.Info != "aceo-table" {
					return
				}
				spec, err := dataset.ParseTableSpec(ch.File, cb.SrcLine, cb.Text)
				if err != nil {
					t.Fatal(err)
				}
				ds := src.Datasets[spec.Dataset]
				ind := ds.Indicators[spec.Indicator]
				// the values, straight from the observations; flagged ones
				// get marks a, b, ... in the order they first appear
				vals := map[string]map[int]string{}
				flags := map[string]map[int]string{}
				years := map[int]bool{}
				for _, ob := range ds.Obs {
					if ds.IndicatorOf(ob) != spec.Indicator {
						continue
					}
					c := ds.CountryOf(ob).Code
					if vals[c] == nil {
						vals[c] = map[int]string{}
					}
					v := ".."
					if !ob.Missing {
						v = dataset.FormatNumber(ob.Value, ind.Decimals)
					}
					vals[c][int(ob.Year)] = v
					if flags[c] == nil {
						flags[c] = map[int]string{}
					}
					flags[c][int(ob.Year)] = ob.FlagName()
					years[int(ob.Year)] = true
				}
				ys := spec.Years.List
				if len(ys) == 0 {
					for y := 1960; y <= 2100; y++ {
						if years[y] {
							ys = append(ys, y)
						}
					}
				}
				marks := map[string]string{}
				for _, c := range dataset.Countries {
					row := c.Name(o.Lang)
					for _, y := range ys {
						v, ok := vals[c.Code][y]
						if !ok {
							v = ".."
						}
						if f := flags[c.Code][y]; f != "" && v != ".." {
							if marks[f] == "" {
								marks[f] = string(rune('a' + len(marks)))
							}
							v += marks[f]
						}
						row += v
					}
					if !strings.Contains(text, squeeze(row)) {
						t.Errorf("%s %s: row %q not printed", o.Lang, spec.Label, row)
					}
					rows++
				}
			})
		}
		if rows < 22 {
			t.Fatalf("%s: only %d table rows checked", o.Lang, rows)
		}
	}
}

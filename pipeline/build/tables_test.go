package build

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/dataset"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
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
		// a row whose first cell wraps is read in order only with -layout
		layout := bodyText(t, o.PDF, "-layout")
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
				// the values, straight from the observations; flagged ones
				// get marks a, b, ... in the order they first appear
				type key struct {
					ind, country string
					year         int
				}
				obs := map[key]dataset.Observation{}
				years := map[int]bool{}
				for _, ob := range ds.Obs {
					obs[key{ds.IndicatorOf(ob), ds.CountryOf(ob).Code, int(ob.Year)}] = ob
					if ds.IndicatorOf(ob) == spec.Indicator {
						years[int(ob.Year)] = true
					}
				}
				marks := map[string]string{}
				show := func(ind, country string, year int) string {
					ob, ok := obs[key{ind, country, year}]
					if !ok || ob.Missing {
						return ".."
					}
					v := dataset.FormatNumber(ob.Value, ds.Indicators[ind].Decimals)
					if f := ob.FlagName(); f != "" {
						if marks[f] == "" {
							marks[f] = string(rune('a' + len(marks)))
						}
						v += marks[f]
					}
					return v
				}
				// an aggregate, computed here from the observations: the
				// sum or unweighted mean of the member countries with data
				// of the member countries with data, marked with the flags
				// of the values it includes
				aggregate := func(code, ind string, year int) string {
					sum, n := 0.0, 0
					var flags []string
					for _, c := range dataset.Countries {
						if ob, ok := obs[key{ind, c.Code, year}]; ok && !ob.Missing && (c.AMS || code == "ASEAN+CHN") {
							sum, n = sum+ob.Value, n+1
							if f := ob.FlagName(); f != "" && !slices.Contains(flags, f) {
								flags = append(flags, f)
							}
						}
					}
					var v string
					switch {
					case n == 0:
						return ".."
					case ds.Indicators[ind].Aggregate == "sum":
						v = dataset.FormatNumber(sum, ds.Indicators[ind].Decimals)
					default:
						v = dataset.FormatNumber(sum/float64(n), ds.Indicators[ind].Decimals)
					}
					for _, f := range flags {
						if marks[f] == "" {
							marks[f] = string(rune('a' + len(marks)))
						}
						v += marks[f]
					}
					return v
				}
				aggName := func(code string) string {
					for _, a := range dataset.Aggregates {
						if a.Code == code {
							return a.Name(o.Lang)
						}
					}
					t.Fatalf("aggregate %s", code)
					return ""
				}
				check := func(row string) {
					in := text
					if spec.Layout == "indicators-countries" {
						in = layout
					}
					if !strings.Contains(in, squeeze(row)) {
						t.Errorf("%s %s: row %q not printed", o.Lang, spec.Label, row)
					}
					rows++
				}
				countries := spec.Countries
				if len(countries) == 0 {
					for _, c := range dataset.Countries {
						countries = append(countries, c.Code)
					}
				}
				if spec.Layout == "indicators-countries" {
					// the countries' values in a row; the indicator's name
					// may wrap onto a second line
					for _, ind := range spec.Indicators {
						row := ""
						for _, c := range countries {
							row += show(ind, c, spec.Years.List[0])
						}
						for _, a := range spec.Aggregates {
							row += aggregate(a, ind, spec.Years.List[0])
						}
						check(row)
					}
					return
				}
				ys := spec.Years.List
				if len(ys) == 0 {
					for y := 1960; y <= 2100; y++ {
						if years[y] {
							ys = append(ys, y)
						}
					}
				}
				for _, c := range countries {
					country, _ := dataset.CountryByCode(c)
					row := country.Name(o.Lang)
					for _, y := range ys {
						row += show(spec.Indicator, c, y)
					}
					check(row)
				}
				for _, a := range spec.Aggregates {
					row := aggName(a)
					for _, y := range ys {
						row += aggregate(a, spec.Indicator, y)
					}
					check(row)
				}
			})
		}
		if rows < 28 {
			t.Fatalf("%s: only %d table rows checked", o.Lang, rows)
		}
	}
}

// TestDatasetTableSplits: a dataset table that meets the foot of a page
// goes on over the next with "(continued)" and its header repeated, no
// row is lost, and no row is left alone on the new page.
func TestDatasetTableSplits(t *testing.T) {
	needTool(t, "pdftotext")
	data := "indicator,country,year,value\n"
	for i, c := range dataset.Countries {
		for _, y := range []int{2000, 2010} {
			data += fmt.Sprintf("FOREST,%s,%d,%d.5\n", c.Code, y, 10+i)
		}
	}
	dict := "code,name_en,name_zh,unit_en,unit_zh,decimals,source,definition,aggregate\nFOREST,Forest cover,森林覆盖率,% of land area,占陆地面积%,1,Test,Forest,mean\n"
	fonts := typeset.NewFontSet(typeset.DefaultFontDirs())
	filler := "Forests cover a large share of the region's land and hold most of its land-based biodiversity. "
	for n := 20; n < 60; n++ {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "datasets"), 0o755)
		os.WriteFile(filepath.Join(dir, "datasets", "forest.csv"), []byte(data), 0o644)
		os.WriteFile(filepath.Join(dir, "datasets", "forest.indicators.csv"), []byte(dict), 0o644)
		os.WriteFile(filepath.Join(dir, "publication.yaml"), []byte("id: split\nkind: policy-study\nyear: 2013\ndate: \"2013-01-01\"\ntitle: {en: Split, zh: 分页}\nlanguages: [en]\nchapters: [one]\n"), 0o644)
		md := "---\npublication: split\nchapter: one\nlang: en\ntitle: One\nauthors: [Tester]\n---\n" +
			strings.Repeat(filler+filler+filler+"\n\n", n/3) + strings.Repeat(filler, n%3) +
			"\n\n```aceo-table\ndataset: forest\nindicator: FOREST\naggregates: [ASEAN, ASEAN+CHN]\nlabel: tbl:f\n```\n"
		os.WriteFile(filepath.Join(dir, "one.md"), []byte(md), 0o644)
		src, err := Load(dir, Options{Templates: templates.FS, Fonts: fonts})
		if err != nil {
			t.Fatal(err)
		}
		outs, err := Build(src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		text := bodyText(t, outs[0].PDF)
		if !strings.Contains(text, squeeze("Table 1.1 (continued)")) {
			continue
		}
		// the header twice, then every row once, in order
		if c := strings.Count(text, squeeze("Country 2000 2010")); c != 2 {
			t.Fatalf("%d paragraphs: the header appears %d times", n, c)
		}
		pos := 0
		for i, c := range dataset.Countries {
			row := squeeze(fmt.Sprintf("%s %d.5 %d.5", c.Name("en"), 10+i, 10+i))
			p := strings.Index(text[pos:], row)
			if p < 0 {
				t.Fatalf("%d paragraphs: row %q missing or out of order", n, row)
			}
			pos += p + len(row)
		}
		for _, a := range []string{"ASEAN", "ASEAN and China"} {
			if !strings.Contains(text[pos:], squeeze(a)) {
				t.Fatalf("%d paragraphs: aggregate %s missing", n, a)
			}
		}
		// at least two rows go on: no row alone on the continuation page
		cont := text[strings.Index(text, squeeze("Table 1.1 (continued)")):]
		if !strings.Contains(cont, squeeze("ASEAN 15.0 15.0")) {
			t.Fatalf("%d paragraphs: only the last row goes on to the next page", n)
		}
		t.Logf("split after %d sentences of filler", n)
		return
	}
	t.Fatal("the table never met the foot of a page")
}

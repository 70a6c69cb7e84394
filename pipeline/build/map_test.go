package build

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/dataset"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

// mapsOf lists the maps of an edition.
func mapsOf(ed *typeset.Edition) []*ms.Chart {
	var out []*ms.Chart
	for _, ch := range ed.Chapters {
		ch.Walk(func(b ms.Block) {
			if c, ok := b.(*ms.Chart); ok && c.Kind == "map" {
				out = append(out, c)
			}
		})
	}
	return out
}

// inLegend reports whether v lies in the class a legend label names:
// "< a", "a–b" (from a, below b) or "≥ b".
func inLegend(t *testing.T, label string, v float64) bool {
	t.Helper()
	num := func(s string) float64 {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			t.Fatalf("legend label %q: %v", label, err)
		}
		return f
	}
	switch {
	case strings.HasPrefix(label, "< "):
		return v < num(label[2:])
	case strings.HasPrefix(label, "≥ "):
		return v >= num(strings.TrimPrefix(label, "≥ "))
	default:
		a, b, _ := strings.Cut(label, "–")
		return v >= num(a) && v < num(b)
	}
}

// TestSampleMap: the sample Outlook's map of forest cover gives every
// country the class whose legend range holds its value in the dataset,
// five quantile classes of two or three countries, lowest first; the map
// page carries the legend, the source, the boundaries' origin and the
// disclaimer in each language. The page's text is compared with golden
// files.
func TestSampleMap(t *testing.T) {
	srcs, outs := buildSamples(t)
	src := srcs["aceo-sample"]
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	ds := src.Datasets["forests"]
	want := map[string]float64{}
	for _, o := range ds.Obs {
		if ds.Codes[o.Ind] == "FOREST_COVER" && o.Year == 2010 && !o.Missing {
			want[datasetCountry(o.Country)] = o.Value
		}
	}
	for _, o := range outs["aceo-sample"] {
		maps := mapsOf(o.Edition)
		if len(maps) != 1 {
			t.Fatalf("%s: %d maps", o.Lang, len(maps))
		}
		m := maps[0]
		if len(m.Codes) != 11 || len(m.Legend) != 5 || m.Number != "2.2" {
			t.Fatalf("%s: map %s with %d countries and %d classes", o.Lang, m.Number, len(m.Codes), len(m.Legend))
		}
		count := make([]int, len(m.Legend))
		for i, code := range m.Codes {
			v, ok := want[code]
			cl := m.Classes[i]
			if !ok {
				if cl != -1 {
					t.Errorf("%s: %s has no value but class %d", o.Lang, code, cl)
				}
				continue
			}
			if cl < 0 || !inLegend(t, m.Legend[cl], v) {
				t.Errorf("%s: %s (%v) is in class %d, %q", o.Lang, code, v, cl, m.Legend)
				continue
			}
			count[cl]++
		}
		for i, n := range count {
			if n < 1 || n > 3 {
				t.Errorf("%s: class %d (%s) holds %d countries", o.Lang, i, m.Legend[i], n)
			}
		}
		pages := flatPages(pageTexts(t, o.PDF, false))
		caption := squeeze(tpl.Label(o.Lang, "figure_n"))
		var page string
		for _, p := range pages {
			if strings.Contains(squeeze(p), strings.ReplaceAll(caption, "%s", "2.2")+squeeze(ms.PlainText(m.Caption))) {
				page = p
			}
		}
		if page == "" {
			t.Fatalf("%s: no page holds the map's caption", o.Lang)
		}
		last := -1
		for _, l := range m.Legend {
			at := strings.Index(page, l)
			if at < last {
				t.Errorf("%s: legend %q out of order", o.Lang, l)
			}
			last = at
		}
		for _, key := range []string{"map_boundaries", "map_disclaimer"} {
			if !strings.Contains(squeeze(page), squeeze(tpl.Label(o.Lang, key))) {
				t.Errorf("%s: the map page lacks %s", o.Lang, key)
			}
		}
		golden(t, filepath.Join("testdata", "golden", "map-"+o.Lang+".txt"), page)
	}
}

// datasetCountry is the code of country index i.
func datasetCountry(i uint8) string { return dataset.Countries[i].Code }

// TestMapNoData: a country without a value for the year is hatched and
// the legend gains "No data"; given breaks class the others; both
// editions.
func TestMapNoData(t *testing.T) {
	dir := sampleCopy(t)
	csvPath := filepath.Join(dir, "..", "..", "datasets", "aceo-sample", "air-quality.csv")
	raw, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]float64{}
	var kept []string
	for _, l := range strings.Split(string(raw), "\n") {
		f := strings.Split(l, ",")
		if len(f) > 3 && f[0] == "PM25_CAPITAL" && f[2] == "2010" {
			if f[1] == "IDN" {
				continue // Indonesia without a value
			}
			v, _ := strconv.ParseFloat(f[3], 64)
			values[f[1]] = v
		}
		kept = append(kept, l)
	}
	os.WriteFile(csvPath, []byte(strings.Join(kept, "\n")), 0o644)
	block := "\n```aceo-map\ndataset: air-quality\nindicator: PM25_CAPITAL\nyear: 2010\nbreaks: [15, 25, 35]\nlabel: fig:pm-map\ncaption:\n  en: Fine particles in capitals, 2010\n  zh: 首都细颗粒物，2010年\n```\n"
	for _, lang := range []string{"en", "zh"} {
		f := filepath.Join(dir, lang, "04-air-quality.md")
		b, _ := os.ReadFile(f)
		os.WriteFile(f, append(b, block...), 0o644)
	}
	src, err := Load(dir, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	for _, lang := range []string{"en", "zh"} {
		ed, err := src.Edition(tpl, lang)
		if err != nil {
			t.Fatal(err)
		}
		var m *ms.Chart
		for _, c := range mapsOf(ed) {
			if c.Label == "fig:pm-map" {
				m = c
			}
		}
		if m == nil {
			t.Fatalf("%s: no map", lang)
		}
		if got := strings.Join(m.Legend, " | "); got != "< 15 | 15–25 | 25–35 | ≥ 35" {
			t.Errorf("%s: legend %q", lang, got)
		}
		for i, code := range m.Codes {
			v, ok := values[code]
			want := -1
			if ok {
				want = 0
				for _, b := range []float64{15, 25, 35} {
					if v >= b {
						want++
					}
				}
			}
			if m.Classes[i] != want {
				t.Errorf("%s: %s (%v) in class %d, want %d", lang, code, v, m.Classes[i], want)
			}
		}
		doc, err := typeset.Render(tpl, testFonts, ed)
		if err != nil {
			t.Fatal(err)
		}
		d := doc.Dests["fig:pm-map"]
		p := doc.Pages[d.Page-1]
		hatches, noData := 0, false
		for _, it := range p.Items {
			if it.Kind == typeset.RuleItem && it.LW == 0.35 {
				hatches++
			}
			if it.Kind == typeset.TextItem && strings.Contains(it.Text+strings.Join(it.Parts, " "), tpl.Label(lang, "map_no_data")) {
				noData = true
			}
		}
		if hatches < 20 || !noData {
			t.Errorf("%s: %d hatch lines, no-data label %v", lang, hatches, noData)
		}
	}
}

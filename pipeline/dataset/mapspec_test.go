package dataset

import (
	"strconv"
	"strings"
	"testing"
)

// TestMapSpecErrors: each mistake in an aceo-map block is an error at the
// block's line, with what to write.
func TestMapSpecErrors(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"indicator: FOREST\n", "c.md:4: aceo-map needs a dataset and an indicator"},
		{"dataset: forest\nindicator: FOREST\nlabel: tbl:x\n", `c.md:4: label "tbl:x" is not a figure label`},
		{"dataset: forest\nindicator: FOREST\nbreaks: [50, 25]\n", "c.md:4: breaks must rise"},
		{"dataset: forest\nindicator: FOREST\nbreaks: [25, 25]\n", "c.md:4: breaks must rise"},
		{"dataset: forest\nindicator: FOREST\nbreaks: [1, 2, 3, 4, 5, 6, 7]\n", "7 breaks make more than 7 classes"},
		{"dataset: forest\nindicator: FOREST\nbreaks: [10]\nclasses: 3\n", "a map takes breaks or classes, not both"},
		{"dataset: forest\nindicator: FOREST\nclasses: 9\n", "classes: 9 is not between 2 and 7"},
		{"dataset: forest\nindicator: FOREST\nyears: [2010]\n", "a map shows one year: write year: 2010"},
		{"dataset: forest\nindicator: FOREST\ncolour: red\n", `c.md:7: unknown field "colour"`},
	} {
		_, err := ParseMapSpec("c.md", 4, c.body)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.body, err, c.want)
		}
	}
	s, err := ParseMapSpec("c.md", 4, "dataset: forest\nindicator: FOREST\n")
	if err != nil || s.Classes != DefaultClasses {
		t.Errorf("default classes: %+v, %v", s, err)
	}
}

// TestMapData: a map takes every country's value for the year (the latest
// with data by default), marks those without one, names the flagged
// values and the source in the edition's language, and refuses a year
// with no value at all.
func TestMapData(t *testing.T) {
	data := "indicator,country,year,value,unit,source,note,flag\n" +
		"FOREST,KHM,2010,57.2,,,,estimate\nFOREST,VNM,2010,44.5,,,,\nFOREST,CHN,2010,,,,,\nFOREST,LAO,2010,67.9,,,,estimate\n" +
		"FOREST,KHM,2000,60,,,,\n"
	ds, err := ReadCSV("forest", "forest.csv", []byte(data), "forest.indicators.csv", []byte(indicatorsCSV))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := ParseMapSpec("c.md", 1, "dataset: forest\nindicator: FOREST\n")
	for _, c := range []struct{ lang, notes string }{
		{"en", "Estimate: Cambodia, Lao PDR.|Source: FAO"},
		{"zh", "估计值：柬埔寨、老挝。|资料来源：FAO"},
	} {
		md, err := ds.Map(s, c.lang)
		if err != nil {
			t.Fatal(err)
		}
		if md.Year != 2010 || len(md.Codes) != 11 || md.Unit == "" {
			t.Fatalf("%s: %+v", c.lang, md)
		}
		got := map[string]string{}
		for i, code := range md.Codes {
			if md.Missing[i] {
				got[code] = "-"
			} else {
				got[code] = strconv.FormatFloat(md.Values[i], 'f', -1, 64)
			}
		}
		if got["KHM"] != "57.2" || got["VNM"] != "44.5" || got["LAO"] != "67.9" || got["CHN"] != "-" || got["SGP"] != "-" {
			t.Errorf("%s: values %v", c.lang, got)
		}
		if n := strings.Join(md.Notes, "|"); n != c.notes {
			t.Errorf("%s: notes %q, want %q", c.lang, n, c.notes)
		}
	}
	s.Year = 2000
	if md, err := ds.Map(s, "en"); err != nil || md.Values[1] != 60 || md.Missing[1] {
		t.Errorf("2000: %v %v", md, err)
	}
	s.Year = 1990
	if _, err := ds.Map(s, "en"); err == nil || !strings.Contains(err.Error(), "no value for 1990") {
		t.Errorf("a year without data: %v", err)
	}
}

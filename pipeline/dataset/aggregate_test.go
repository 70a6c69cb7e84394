package dataset

import (
	"strings"
	"testing"
)

// TestAggregateMethods: a weighted mean weighs each country by another
// indicator and the note says so; "none" refuses aggregates; a weighted
// mean needs a weight the dictionary defines.
func TestAggregateMethods(t *testing.T) {
	dict := "code,name_en,name_zh,unit_en,unit_zh,decimals,aggregate,weight\n" +
		"PM25,PM2.5,PM2.5,µg/m³,微克/立方米,0,weighted_mean,POP\n" +
		"POP,Population,人口,million,百万,0,sum,\n" +
		"RANK,Rank,排名,rank,名次,0,none,\n"
	data := "indicator,country,year,value,flag\n" +
		"PM25,KHM,2010,20,\nPOP,KHM,2010,10,\n" +
		"PM25,VNM,2010,40,estimate\nPOP,VNM,2010,30,\n" +
		"PM25,LAO,2010,90,\n" + // no population: left out of the weighted mean
		"RANK,KHM,2010,1,\n"
	ds, err := ReadCSV("x", "x.csv", []byte(data), "x.indicators.csv", []byte(dict))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := ParseTableSpec("c.md", 1, "dataset: x\nindicator: PM25\ncountries: [KHM, VNM, LAO]\nyears: [2010]\naggregates: [ASEAN]\n")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := ds.Table(spec, "en")
	if err != nil {
		t.Fatal(err)
	}
	last := tb.Rows[len(tb.Rows)-1]
	// (20x10 + 40x30) / 40 = 35, an estimate among its values; unweighted it would be 50
	if last[0] != "ASEAN" || last[1] != "35\u00a0a" {
		t.Fatalf("ASEAN row %q, want 35 a", last)
	}
	notes := strings.Join(tb.Notes, "|")
	for _, want := range []string{"ASEAN: mean of the countries with data, weighted by Population.", "ASEAN, 2010: 2 of 10 countries with data (Cambodia, Viet Nam only)."} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q: %s", want, notes)
		}
	}
	if zh, _ := ds.Table(spec, "zh"); !strings.Contains(strings.Join(zh.Notes, "|"), "东盟：有数据国家以人口加权的平均值。") {
		t.Errorf("zh notes: %q", zh.Notes)
	}
	none, _ := ParseTableSpec("c.md", 1, "dataset: x\nindicator: RANK\nyears: [2010]\naggregates: [ASEAN]\n")
	if _, err := ds.Table(none, "en"); err == nil || !strings.Contains(err.Error(), "indicator RANK is not to be aggregated (aggregate: none in its dictionary)") {
		t.Fatalf("aggregate none: %v", err)
	}
	for _, c := range []struct{ dict, want string }{
		{"code,name_en,name_zh,unit_en,unit_zh,decimals,aggregate\nPM25,PM,PM,u,u,0,weighted_mean\n", "x.indicators.csv:2:"},
		{"code,name_en,name_zh,unit_en,unit_zh,decimals,aggregate,weight\nPM25,PM,PM,u,u,0,weighted_mean,POPX\n", `indicator PM25 is weighted by "POPX", which the dictionary does not define`},
		{"code,name_en,name_zh,unit_en,unit_zh,decimals,aggregate\nPM25,PM,PM,u,u,0,median\n", `aggregate "median" is not known; write sum, mean, weighted_mean (with a weight) or none`},
	} {
		_, err := ReadCSV("x", "x.csv", []byte("indicator,country,year,value\nPM25,KHM,2010,1\n"), "x.indicators.csv", []byte(c.dict))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
}

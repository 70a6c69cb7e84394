// Command gen-sample-data writes the sample publication's XLSX datasets
// (illustrative values) into datasets/aceo-sample/. Run from the
// repository root: go run ./scripts/gen-sample-data
package main

import (
	"fmt"
	"log"
	"time"

	"github.com/xuri/excelize/v2"
)

const (
	src   = "Illustrative data for the aceo sample edition"
	srcZH = "aceo样本版示意数据"
)

var countries = []string{"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "CHN"}

func write(path string, indicators [][]any, data [][]any) {
	f := excelize.NewFile()
	defer f.Close()
	// fixed document dates: the same workbook every time
	t := time.Date(2013, 10, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	f.SetDocProps(&excelize.DocProperties{Created: t, Modified: t, Creator: "aceo sample", Title: "Illustrative dataset"})
	f.SetSheetName("Sheet1", "indicators")
	f.NewSheet("data")
	for i, r := range append([][]any{{"code", "name_en", "name_zh", "unit_en", "unit_zh", "decimals", "source", "definition", "aggregate", "source_zh"}}, indicators...) {
		if i > 0 {
			r = append(r, srcZH)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("indicators", cell, &r)
	}
	for i, r := range append([][]any{{"indicator", "country", "year", "value", "unit", "source", "note", "flag"}}, data...) {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("data", cell, &r)
	}
	if err := f.SaveAs(path); err != nil {
		log.Fatal(err)
	}
}

func main() {
	forest := map[string][3]float64{ // 1990, 2000, 2010
		"BRN": {78.4, 73.1, 71.8}, "KHM": {73.3, 65.3, 57.2}, "IDN": {65.4, 57.5, 51.7}, "LAO": {75.0, 71.5, 67.9},
		"MYS": {68.1, 64.9, 62.3}, "MMR": {60.0, 57.1, 48.3}, "PHL": {22.0, 24.0, 25.9}, "SGP": {3.3, 3.3, 3.3},
		"THA": {38.3, 38.1, 37.2}, "VNM": {28.8, 37.8, 44.5}, "CHN": {16.7, 18.9, 22.2},
	}
	protected := map[string]float64{"BRN": 29.6, "KHM": 23.9, "IDN": 12.2, "LAO": 16.7, "MYS": 17.9, "MMR": 6.3, "PHL": 11.0, "SGP": 5.4, "THA": 19.0, "VNM": 7.6, "CHN": 16.1}
	var data [][]any
	for _, c := range countries {
		for i, y := range []int{1990, 2000, 2010} {
			flag := ""
			if c == "MMR" && y == 2010 {
				flag = "estimate"
			}
			data = append(data, []any{"FOREST_COVER", c, y, forest[c][i], "", "", "", flag})
		}
		data = append(data, []any{"PROTECTED_LAND", c, 2010, protected[c], "", "", "", ""})
	}
	write("datasets/aceo-sample/forests.xlsx", [][]any{
		{"FOREST_COVER", "Forest cover", "森林覆盖率", "% of land area", "占陆地面积%", 1, src, "Forest area as a share of total land area", "mean"},
		{"PROTECTED_LAND", "Protected land areas", "陆地保护区", "% of land area", "占陆地面积%", 1, src, "Terrestrial protected areas as a share of total land area", "mean"},
	}, data)

	co2 := map[string]float64{"BRN": 8, "KHM": 5, "IDN": 435, "LAO": 2, "MYS": 216, "MMR": 13, "PHL": 84, "SGP": 48, "THA": 249, "VNM": 142, "CHN": 8287}
	pop := map[string]float64{"BRN": 0.4, "KHM": 14.9, "IDN": 246.9, "LAO": 6.6, "MYS": 29.2, "MMR": 52.8, "PHL": 96.7, "SGP": 5.3, "THA": 66.8, "VNM": 88.8, "CHN": 1354.0}
	data = nil
	for _, c := range countries {
		data = append(data, []any{"CO2_ENERGY", c, 2012, co2[c], "", "", "", "provisional"})
		data = append(data, []any{"POPULATION", c, 2012, pop[c], "", "", "", ""})
	}
	write("datasets/aceo-sample/climate.xlsx", [][]any{
		{"CO2_ENERGY", "Energy-related CO2 emissions", "能源相关二氧化碳排放", "Mt CO2", "百万吨二氧化碳", 0, src, "Carbon dioxide emitted by fuel combustion", "sum"},
		{"POPULATION", "Population", "人口", "million", "百万", 1, src, "Mid-year population", "sum"},
	}, data)
	fmt.Println("wrote datasets/aceo-sample/forests.xlsx and climate.xlsx")
	writeTracker("datasets/action-plan-2011-2013/tracker.xlsx")
}

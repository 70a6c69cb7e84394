// Package synth writes synthetic bilingual publications of any size, for
// benchmarks and load tests: each chapter has 3 sections of 4 paragraphs
// (12 in all) and 3 tables of 11 rows by 7 columns, in English and Chinese.
package synth

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

var countries = []string{"Brunei Darussalam", "Cambodia", "Indonesia", "Lao PDR", "Malaysia", "Myanmar", "Philippines", "Singapore", "Thailand", "Viet Nam", "China"}
var countriesZh = []string{"文莱", "柬埔寨", "印度尼西亚", "老挝", "马来西亚", "缅甸", "菲律宾", "新加坡", "泰国", "越南", "中国"}

const enPara = "Regional cooperation on the environment depends on shared data, trusted institutions and people who know each other. In the basin of chapter %d, section %d, rainfall, forest cover and river flows changed markedly between 2000 and 2012, and the AMS and China responded with monitoring, planning and joint projects that are described in this paragraph number %d, with values such as 25 µg/m³ and 1,200 km² for illustration only."
const zhPara = "区域环境合作依赖于共享的数据、可信的机构以及彼此熟悉的人。在第%d章第%d节所述的流域，2000年至2012年间降雨、森林覆盖和河流流量都发生了明显变化，东盟成员国（AMS）与中国通过监测、规划和联合项目作出应对，本段为第%d段，其中25 µg/m³和1,200 km²等数值仅作示意。"

// Generate writes publication.yaml and n chapters in en and zh under dir.
func Generate(dir string, n int) error {
	var ids []string
	for c := 1; c <= n; c++ {
		ids = append(ids, fmt.Sprintf("ch%02d", c))
	}
	pub := fmt.Sprintf(`id: synthetic
kind: outlook
year: 2013
date: "2013-01-01"
title: {en: "Synthetic Outlook", zh: "合成展望"}
notice: {en: "Synthetic benchmark publication", zh: "合成基准出版物"}
publisher: {en: "aceo benchmark", zh: "aceo 基准"}
chapters: [%s]
`, strings.Join(ids, ", "))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "publication.yaml"), []byte(pub), 0o644); err != nil {
		return err
	}
	for c, id := range ids {
		for _, lang := range []string{"en", "zh"} {
			var b strings.Builder
			fmt.Fprintf(&b, "---\npublication: synthetic\nchapter: %s\nlang: %s\ntitle: %s %d\nauthors: [Benchmark author]\n", id, lang, map[string]string{"en": "Chapter", "zh": "第章"}[lang], c+1)
			if lang == "zh" {
				b.WriteString("translated_from: sha256:" + strings.Repeat("0", 64) + "\n")
			}
			b.WriteString("---\n")
			for s := 1; s <= 3; s++ {
				fmt.Fprintf(&b, "# %s %d {#sec:%s-%d}\n\n", map[string]string{"en": "Section", "zh": "小节"}[lang], s, id, s)
				for p := 1; p <= 4; p++ {
					f := enPara
					if lang == "zh" {
						f = zhPara
					}
					fmt.Fprintf(&b, f+"\n\n", c+1, s, p)
				}
				cap := map[string]string{"en": "Table: Indicator values", "zh": "表: 指标数值"}[lang]
				fmt.Fprintf(&b, "%s {#tbl:%s-%d}\n\n| Country | 2007 | 2008 | 2009 | 2010 | 2011 | 2012 |\n|---|---:|---:|---:|---:|---:|---:|\n", cap, id, s)
				names := countries
				if lang == "zh" {
					names = countriesZh
				}
				for r, name := range names {
					fmt.Fprintf(&b, "| %s |", name)
					for y := 0; y < 6; y++ {
						fmt.Fprintf(&b, " %d.%d |", 10+r*3+y, (c+y)%10)
					}
					b.WriteString("\n")
				}
				b.WriteString("\n")
			}
			if err := os.WriteFile(filepath.Join(dir, id+"-"+lang+".md"), []byte(b.String()), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// Package synth writes synthetic bilingual publications of any size, for
// benchmarks and load tests: each chapter has 3 sections of 4 paragraphs
// (12 in all, varied texts) and 3 tables of 11 rows by 7 columns, in
// English and Chinese.
package synth

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

var countries = []string{"Brunei Darussalam", "Cambodia", "Indonesia", "Lao PDR", "Malaysia", "Myanmar", "Philippines", "Singapore", "Thailand", "Viet Nam", "China"}
var countriesZh = []string{"文莱", "柬埔寨", "印度尼西亚", "老挝", "马来西亚", "缅甸", "菲律宾", "新加坡", "泰国", "越南", "中国"}

// The paragraphs cycle through several texts of different lengths and
// vocabulary, as real chapters do, so that line breaking, hyphenation and
// the places where tables fall on pages vary from chapter to chapter.
var enParas = []string{
	"Regional cooperation on the environment depends on shared data, trusted institutions and people who know each other. In the basin of chapter %d, section %d, rainfall, forest cover and river flows changed markedly between 2000 and 2012, and the AMS and China responded with monitoring, planning and joint projects that are described in this paragraph number %d, with values such as 25 µg/m³ and 1,200 km² for illustration only.",
	"Forests remain the region's largest land ecosystem, but their trends diverge (chapter %d, section %d). In most countries forest area declined as land was cleared for oil palm, rubber and food crops, while national programmes for planting trees on sloping farmland reversed earlier losses elsewhere. Paragraph %d gives the figures, such as 25 µg/m³ and 1,200 km², for illustration only.",
	"The region receives generous rainfall, yet water is not evenly shared. Chapter %d, section %d, shows that some basins face scarcity for half the year, that access to safe drinking water has risen to about nine in ten people, and that the treatment of wastewater lags behind. Paragraph %d quotes 25 µg/m³ and 1,200 km² as examples.",
	"Financing remains a constraint. Public spending on the environment rarely exceeds one per cent of government budgets, and international support is spread over many programmes (chapter %d, section %d). Paragraph %d reviews new instruments, including payments for ecosystem services, green bonds and environmental funds, quoting 25 µg/m³ and 1,200 km² as illustrative values.",
	"Capacity building is a recurring theme of the cooperation. Training programmes for environmental officials, technicians and professionals give priority to the least developed Member States, and exchanges between universities strengthen research networks; chapter %d, section %d, paragraph %d, reports 25 µg/m³ and 1,200 km² for illustration.",
}

var zhParas = []string{
	"区域环境合作依赖于共享的数据、可信的机构以及彼此熟悉的人。在第%d章第%d节所述的流域，2000年至2012年间降雨、森林覆盖和河流流量都发生了明显变化，东盟成员国（AMS）与中国通过监测、规划和联合项目作出应对，本段为第%d段，其中25 µg/m³和1,200 km²等数值仅作示意。",
	"自20世纪90年代初以来，跨境环境管理的政府间安排不断增多（第%d章第%d节）。环境影响评价、水资源综合管理和社区保护已成为常规做法，但实施情况参差不齐；第%d段指出，城市监测站报告的浓度为25 µg/m³，已恢复湿地1,200 km²。",
	"农业集约化、基础设施建设和城市化改变了整个区域的景观。第%d章第%d节讨论了其对生物多样性的影响：栖息地破碎化、外来物种入侵以及对具有商业价值种群的过度利用。第%d段以25 µg/m³和1,200 km²等示意数值概括了各国报告和国际评估的证据。",
	"资金仍是制约因素。环境保护公共支出很少超过政府预算的百分之一，国际支持分散在众多项目之中（第%d章第%d节）。第%d段回顾了生态系统服务付费、绿色债券和环境基金等创新工具，并以25 µg/m³和1,200 km²作为示意数值。",
	"能力建设是合作中反复出现的主题。面向环境官员、技术人员和专业人员的培训项目优先照顾最不发达的成员国，高校之间的交流加强了研究网络；第%d章第%d节第%d段以25 µg/m³和1,200 km²为例作了说明。",
}

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
					k := (c*7 + s*3 + p) % len(enParas)
					f := enParas[k]
					if lang == "zh" {
						f = zhParas[k]
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

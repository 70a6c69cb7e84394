// Package starter writes the starting draft of a chapter: the right front
// matter and a commented example of every block, which an author replaces
// with the chapter's text. The draft validates as written, so an author
// begins from a draft the build accepts.
package starter

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/publication"
)

// Context is what the starting draft is written for.
type Context struct {
	Pub     *publication.Publication
	Chapter string
	Lang    string // en or zh
	// TranslatedFrom names the English draft a translation starts from
	// (a revision id or sha256:…); translations only.
	TranslatedFrom string
	// SourceTitle is the English draft's title, shown to the translator.
	SourceTitle string
	// Datasets and Figures are those the publication has; the examples of
	// aceo-table, aceo-chart and figures use the first of them, and are
	// left in comments when there is none.
	Datasets map[string]*dataset.Dataset
	Figures  []string // as drafts name them: figures/name.png
}

// words is the text of the starting draft in one language.
type words struct {
	intro, keyMessages, key1, key2                    string
	sectionNote, section, body, noteText              string
	tableNote, tableCaption, country, value           string
	rows                                              [2][2]string
	datasetNote, datasetCaption, chartNote, chartCapt string
	figureNote, figureCaption, noDataset, noFigure    string
	figureAlt                                         string
	title, author                                     string
	translateNote                                     string
}

var text = map[string]words{
	"en": {
		intro: "Starting draft of chapter %s of %s, written by aceo new.\n" +
			"     Every block below is an example: replace it with the chapter's text or delete it.\n" +
			"     Comments like this one are not printed. The authors' guide (docs/authoring.md)\n" +
			"     explains each block. Check the draft with: aceo validate FILE",
		keyMessages: "Key messages",
		key1:        "The first key message: one sentence a minister can quote.",
		key2:        "The second key message.",
		sectionNote: "A heading. {#sec:…} gives it a label that any chapter can refer to with @sec:…",
		section:     "First section",
		body: "Body text. Refer to sections, tables and figures by their labels, as in @sec:%[1]s-first " +
			"and @tbl:%[1]s-example; the build prints their numbers. A footnote looks like this.[^%[1]s-note]",
		noteText:       "The text of the footnote.",
		tableNote:      "A table typed in the draft: the caption line starts with \"Table:\" and its label\n     makes it numbered and listed. A table without a caption is printed unnumbered.",
		tableCaption:   "Example table (illustrative)",
		country:        "Country",
		value:          "Value (unit)",
		rows:           [2][2]string{{"Cambodia", "1.0"}, {"China", "2.0"}},
		datasetNote:    "A table generated from a submitted dataset: name the dataset and the indicator;\n     the caption is given in both languages.",
		datasetCaption: "Example indicator table",
		chartNote:      "A chart drawn from a dataset: type line or bar (a bar chart needs year:).",
		chartCapt:      "Example chart",
		figureNote:     "A figure: a paragraph of its own, with the caption in the brackets, a label and its alt text (what it shows, for readers who cannot see it).",
		figureAlt:      "Describe what the figure shows, for readers who cannot see it",
		figureCaption:  "Example figure (illustrative)",
		noDataset:      "The publication has no dataset yet; once one is submitted, a table reads:",
		noFigure:       "The publication has no figure yet; once one is submitted, a figure reads:",
		author:         "Your Name (Institution, Country)",
	},
	"zh": {
		intro: "本章（%s，%s）的起始稿，由 aceo new 生成。\n" +
			"     下列每一块都是示例：请换成本章内容，或删除。\n" +
			"     此类注释不会印出。作者指南（docs/authoring.zh.md）逐一说明各块写法。\n" +
			"     检查草稿：aceo validate 文件名",
		keyMessages: "核心信息",
		key1:        "第一条核心信息：一句可供部长引用的话。",
		key2:        "第二条核心信息。",
		sectionNote: "标题。{#sec:…} 为其设标签，任何一章都可用 @sec:… 引用。标签与英文稿相同。",
		section:     "第一节",
		body: "正文。用标签引用节、表和图，例如 @sec:%[1]s-first 和 @tbl:%[1]s-example，" +
			"生成时会印出编号。脚注写法如下。[^%[1]s-note]",
		noteText:       "脚注内容。",
		tableNote:      "在草稿中输入的表：标题行以 \"Table:\" 开头，加标签即编号并列入表目录。\n     没有标题的表不编号。",
		tableCaption:   "示例表（示意）",
		country:        "国家",
		value:          "数值（单位）",
		rows:           [2][2]string{{"柬埔寨", "1.0"}, {"中国", "2.0"}},
		datasetNote:    "由已提交数据集生成的表：写明数据集和指标；标题用中英两种语言。",
		datasetCaption: "示例指标表",
		chartNote:      "由数据集绘制的图：type 为 line（折线）或 bar（柱状，需写 year:）。",
		chartCapt:      "示例图",
		figureNote:     "图片：单独成段，方括号内为图题，后接标签和替代文字（为看不到图片的读者描述其内容）。",
		figureAlt:      "为看不到图片的读者描述图片内容",
		figureCaption:  "示例图片（示意）",
		noDataset:      "本出版物尚无数据集；提交后，表的写法如下：",
		noFigure:       "本出版物尚无图片；提交后，图的写法如下：",
		author:         "姓名（机构，国家）",
		translateNote:  "（待译）",
	},
}

// Draft returns the starting draft.
func Draft(c Context) ([]byte, error) {
	w, ok := text[c.Lang]
	if !ok {
		return nil, fmt.Errorf("no starting draft in %q: use en or zh", c.Lang)
	}
	if c.Pub == nil {
		return nil, fmt.Errorf("no publication")
	}
	ch := c.Chapter
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "publication: %s\nchapter: %s\nlang: %s\n", c.Pub.ID, ch, c.Lang)
	title := strings.ToUpper(ch[:1]) + strings.ReplaceAll(ch[1:], "-", " ")
	if c.Lang != "en" {
		title = w.translateNote + c.SourceTitle
	}
	fmt.Fprintf(&b, "title: %s\n", quote(title))
	fmt.Fprintf(&b, "authors:\n  - %s\n", quote(w.author))
	if c.Lang != "en" {
		fmt.Fprintf(&b, "translated_from: %s\n", c.TranslatedFrom)
	}
	b.WriteString("---\n")
	fmt.Fprintf(&b, "<!-- "+w.intro+" -->\n\n", ch, c.Pub.ID)
	fmt.Fprintf(&b, "# %s\n\n- %s\n- %s\n\n", w.keyMessages, w.key1, w.key2)
	fmt.Fprintf(&b, "<!-- %s -->\n# %s {#sec:%s-first}\n\n", w.sectionNote, w.section, ch)
	fmt.Fprintf(&b, w.body+"\n\n[^%[1]s-note]: %s\n\n", ch, w.noteText)
	fmt.Fprintf(&b, "<!-- %s -->\nTable: %s {#tbl:%s-example}\n\n", w.tableNote, w.tableCaption, ch)
	fmt.Fprintf(&b, "| %s | %s |\n|---|---:|\n", w.country, w.value)
	for _, r := range w.rows {
		fmt.Fprintf(&b, "| %s | %s |\n", r[0], r[1])
	}
	b.WriteString("\n")

	ds, ind := firstIndicator(c.Datasets)
	if ds == "" {
		ds, ind = "NAME", "CODE" // in a comment: the publication has no dataset yet
	}
	en, zh := text["en"], text["zh"]
	table := fmt.Sprintf("```aceo-table\ndataset: %s\nindicator: %s\nlabel: tbl:%s-indicator\ncaption:\n  en: %s\n  zh: %s\n```\n",
		ds, ind, ch, en.datasetCaption, zh.datasetCaption)
	chart := fmt.Sprintf("```aceo-chart\ntype: line\ndataset: %s\nindicator: %s\nlabel: fig:%s-chart\ncaption:\n  en: %s\n  zh: %s\n```\n",
		ds, ind, ch, en.chartCapt, zh.chartCapt)
	if ds != "NAME" {
		fmt.Fprintf(&b, "<!-- %s -->\n%s\n<!-- %s -->\n%s\n", w.datasetNote, table, w.chartNote, chart)
	} else {
		fmt.Fprintf(&b, "<!-- %s\n\n%s\n%s-->\n\n", w.noDataset, table, chart)
	}
	figs := append([]string(nil), c.Figures...)
	sort.Strings(figs)
	if len(figs) > 0 {
		fmt.Fprintf(&b, "<!-- %s -->\n![%s](%s){#fig:%s-figure alt=\"%s\"}\n", w.figureNote, w.figureCaption, figs[0], ch, w.figureAlt)
	} else {
		fmt.Fprintf(&b, "<!-- %s\n\n![%s](figures/NAME.png){#fig:%s-figure alt=\"%s\"}\n-->\n", w.noFigure, w.figureCaption, ch, w.figureAlt)
	}
	return []byte(b.String()), nil
}

// firstIndicator is the first dataset by name and its first indicator,
// or empty strings when there is none.
func firstIndicator(m map[string]*dataset.Dataset) (string, string) {
	var names []string
	for n, d := range m {
		if d != nil && len(d.Indicators) > 0 {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "", ""
	}
	sort.Strings(names)
	d := m[names[0]]
	codes := append([]string(nil), d.Codes...)
	if len(codes) == 0 {
		for c := range d.Indicators {
			codes = append(codes, c)
		}
		sort.Strings(codes)
	}
	return names[0], codes[0]
}

// quote writes s as a YAML double-quoted string.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

package htmled

import (
	"fmt"
	"strings"
	"testing"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// TestChapter: every kind of block comes out as the HTML a reader and a
// screen reader expect, text escaped, links to other chapters relative,
// footnotes listed with links both ways.
func TestChapter(t *testing.T) {
	ch := &ms.Chapter{Meta: ms.FrontMatter{Chapter: "air"}, Footnotes: map[int][]ms.Span{1: {{Text: "A note <b>."}}}}
	h := &ms.Heading{Level: 1, Number: "4.1", Label: "sec:sources", Content: []ms.Span{{Text: "Sources"}}}
	ch.Blocks = []ms.Block{
		&ms.Box{Kind: ms.BoxKeyMessages, Blocks: []ms.Block{&ms.List{Items: [][]ms.Block{{&ms.Paragraph{Content: []ms.Span{{Text: "Haze matters."}}}}}}}},
		h,
		&ms.Paragraph{Content: []ms.Span{{Text: "See "}, {Ref: "tbl:pm", Text: "Table 4.1"}, {Text: " and "}, {Ref: "sec:forests", Text: "Section 2.1"},
			{Text: ", "}, {Text: "<script>", Style: ms.Bold}, {Text: "x", Link: "javascript:alert(1)"}, {Note: 1, Text: "1"}}},
		&ms.Table{Label: "tbl:pm", Number: "4.1", Caption: []ms.Span{{Text: "PM2.5"}}, Align: []ms.Align{ms.AlignLeft, ms.AlignRight},
			Header: []ms.Row{{{{Text: "City"}}, {{Text: "2012"}}}}, Rows: []ms.Row{{{{Text: "Hà Nội"}}, {{Text: "44"}}}}, Notes: [][]ms.Span{{{Text: "Source: x"}}}},
		&ms.Figure{Label: "fig:map", Number: "4.2", Alt: "A map of haze", Caption: []ms.Span{{Text: "Haze"}}},
		&ms.Chart{Label: "fig:bar", Number: "4.3", Kind: "bar", Caption: []ms.Span{{Text: "PM2.5 by city"}}, Categories: []string{"Jakarta", "Manila"},
			Series: []ms.Series{{Name: "PM2.5", Values: []float64{38, 0}, Missing: []bool{false, true}}}, Unit: "µg/m³"},
		&ms.Box{Kind: ms.BoxCase, Label: "box:mekong", Number: "4.1", Title: "The Mekong", Blocks: []ms.Block{&ms.Quote{Blocks: []ms.Block{&ms.Paragraph{Content: []ms.Span{{Text: "Quoted."}}}}}}},
		&ms.CodeBlock{Text: "a < b"},
	}
	labels := map[string]string{"figure_n": "Figure %s", "table_n": "Table %s", "box_n": "Box %s", "key_messages": "Key messages", "footnotes": "Notes", "chart_data": "Data", "back_to_text": "Back"}
	out := Chapter(ch, Options{
		Label:  func(k string) string { return labels[k] },
		Anchor: func(h *ms.Heading) string { return "s" + h.Number },
		Ref: func(l string) string {
			return map[string]string{"tbl:pm": "#tbl-pm", "sec:forests": "../forests/#s2.1"}[l]
		},
		Chart: func(c *ms.Chart) string { return `<svg role="img"><title>chart</title></svg>` },
		Image: func(f *ms.Figure) string { return "data:image/png;base64,AAAA" },
	})
	for _, want := range []string{
		`<aside class="key-messages" aria-labelledby="key-messages">`, `<li>Haze matters.</li>`,
		`<h2 id="s4.1"><span class="number">4.1</span> Sources</h2>`,
		`<a href="#tbl-pm">Table 4.1</a>`, `<a href="../forests/#s2.1">Section 2.1</a>`,
		`<strong>&lt;script&gt;</strong>`, `<sup class="fnref"><a href="#fn-1" id="fnref-1">1</a></sup>`,
		`<figure class="table" id="tbl-pm">`, `<caption id="tbl-pm-caption"><span class="number">Table 4.1</span> PM2.5</caption>`,
		`<th scope="col" class="num">2012</th>`, `<th scope="row">Hà Nội</th><td class="num">44</td>`, `<p class="note">Source: x</p>`,
		`<img src="data:image/png;base64,AAAA" alt="A map of haze">`, `<figcaption><span class="number">Figure 4.2</span> Haze</figcaption>`,
		`<figure class="chart" id="fig-bar">`, `<svg role="img"><title>chart</title></svg>`, `<th scope="col">PM2.5 (µg/m³)</th>`,
		`<th scope="row">Jakarta</th><td class="num">38</td>`, `<th scope="row">Manila</th><td class="num">–</td>`,
		`<aside class="box" id="box-mekong" aria-labelledby="box-mekong-title">`, `<span class="number">Box 4.1</span> The Mekong`,
		`<blockquote>`, `<pre><code>a &lt; b</code></pre>`,
		`<li id="fn-1" value="1">A note &lt;b&gt;. <a href="#fnref-1" class="back" aria-label="Back">↩</a></li>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s", want)
		}
	}
	if strings.Contains(out, "javascript:") {
		t.Error("a javascript: link written")
	}
	if n := strings.Count(out, `id="`); n != strings.Count(fmt.Sprint(uniqueIDs(out)), " ")+1 {
		t.Errorf("duplicate ids in %s", out)
	}
}

func uniqueIDs(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, part := range strings.Split(s, `id="`)[1:] {
		id := part[:strings.Index(part, `"`)]
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

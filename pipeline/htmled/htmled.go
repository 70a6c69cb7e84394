// Package htmled writes the HTML reading edition of a chapter from the
// manuscript model the PDF is typeset from: headings with ids, footnotes,
// cross-references as links, tables as HTML tables, figures with their
// descriptions, and charts as the SVG the caller draws (typeset.ChartSVG,
// from the PDF's display list). It writes a fragment (an <article>); the
// catalogue puts it in its page.
package htmled

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// Options are what a chapter's HTML needs besides the chapter.
type Options struct {
	// Label gives the edition's words: the formats "figure_n",
	// "table_n", "box_n" ("Table %s"), and "key_messages", "footnotes",
	// "chart_data", "back_to_text".
	Label func(key string) string
	// Anchor is the id of a heading (build.Anchor).
	Anchor func(h *ms.Heading) string
	// Ref is where a cross-reference's label points ("#tbl-x", or
	// "../other/#tbl-x"); "" when it points nowhere known.
	Ref func(label string) string
	// Chart is the SVG of a chart; "" draws its data table only.
	Chart func(c *ms.Chart) string
	// Image is the src of a figure's image ("" leaves the image out,
	// its description stays).
	Image func(f *ms.Figure) string
}

// ID is the HTML id of a label ("tbl:forest-cover" -> "tbl-forest-cover").
func ID(label string) string {
	return strings.NewReplacer(":", "-", "#", "-", " ", "-").Replace(label)
}

type writer struct {
	b   strings.Builder
	ch  *ms.Chapter
	opt Options
	// the footnotes marked, in order
	notes []int
}

// Chapter writes chapter ch as an <article> fragment.
func Chapter(ch *ms.Chapter, opt Options) string {
	w := &writer{ch: ch, opt: opt}
	w.b.WriteString("<article class=\"chapter\">\n")
	w.blocks(ch.Blocks)
	if len(w.notes) > 0 {
		fmt.Fprintf(&w.b, "<section class=\"footnotes\" aria-labelledby=\"footnotes\">\n<h2 id=\"footnotes\">%s</h2>\n<ol>\n", esc(opt.Label("footnotes")))
		for _, n := range w.notes {
			fmt.Fprintf(&w.b, "<li id=\"fn-%d\" value=\"%d\">", n, n)
			w.inline(ch.Footnotes[n])
			fmt.Fprintf(&w.b, " <a href=\"#fnref-%d\" class=\"back\" aria-label=\"%s\">↩</a></li>\n", n, esc(opt.Label("back_to_text")))
		}
		w.b.WriteString("</ol>\n</section>\n")
	}
	w.b.WriteString("</article>\n")
	return w.b.String()
}

func esc(s string) string { return html.EscapeString(s) }

func (w *writer) blocks(bs []ms.Block) {
	for _, b := range bs {
		w.block(b)
	}
}

func (w *writer) block(b ms.Block) {
	switch b := b.(type) {
	case *ms.Heading:
		level := min(b.Level+1, 6) // the chapter's title is the page's h1
		fmt.Fprintf(&w.b, "<h%d id=\"%s\">", level, esc(w.opt.Anchor(b)))
		if b.Number != "" {
			fmt.Fprintf(&w.b, "<span class=\"number\">%s</span> ", esc(b.Number))
		}
		w.inline(b.Content)
		fmt.Fprintf(&w.b, "</h%d>\n", level)
	case *ms.Paragraph:
		if b.Hanging {
			w.b.WriteString("<p class=\"reference\">")
		} else {
			w.b.WriteString("<p>")
		}
		w.inline(b.Content)
		w.b.WriteString("</p>\n")
	case *ms.Box:
		w.box(b)
	case *ms.List:
		tag := "ul"
		if b.Ordered {
			tag = "ol"
		}
		w.b.WriteString("<" + tag)
		if b.Ordered && b.Start > 1 {
			fmt.Fprintf(&w.b, " start=\"%d\"", b.Start)
		}
		w.b.WriteString(">\n")
		for _, item := range b.Items {
			w.b.WriteString("<li>")
			// an item of one paragraph is its text alone
			if len(item) == 1 {
				if p, ok := item[0].(*ms.Paragraph); ok {
					w.inline(p.Content)
					w.b.WriteString("</li>\n")
					continue
				}
			}
			w.blocks(item)
			w.b.WriteString("</li>\n")
		}
		w.b.WriteString("</" + tag + ">\n")
	case *ms.Quote:
		w.b.WriteString("<blockquote>\n")
		w.blocks(b.Blocks)
		w.b.WriteString("</blockquote>\n")
	case *ms.Table:
		w.table(b)
	case *ms.Figure:
		w.figure(b)
	case *ms.Chart:
		w.chart(b)
	case *ms.CodeBlock:
		fmt.Fprintf(&w.b, "<pre><code>%s</code></pre>\n", esc(b.Text))
	case *ms.Rule:
		w.b.WriteString("<hr>\n")
	}
}

func (w *writer) box(b *ms.Box) {
	if b.Kind == ms.BoxKeyMessages {
		fmt.Fprintf(&w.b, "<aside class=\"key-messages\" aria-labelledby=\"key-messages\">\n<h2 id=\"key-messages\">%s</h2>\n", esc(w.opt.Label("key_messages")))
		w.blocks(b.Blocks)
		w.b.WriteString("</aside>\n")
		return
	}
	id := elemID(b.Label, "box-", b.Number)
	fmt.Fprintf(&w.b, "<aside class=\"box\" id=\"%s\" aria-labelledby=\"%s-title\">\n<h3 id=\"%s-title\">", esc(id), esc(id), esc(id))
	if b.Number != "" {
		fmt.Fprintf(&w.b, "<span class=\"number\">%s</span> ", esc(fmt.Sprintf(w.opt.Label("box_n"), b.Number)))
	}
	fmt.Fprintf(&w.b, "%s</h3>\n", esc(b.Title))
	w.blocks(b.Blocks)
	w.b.WriteString("</aside>\n")
}

// caption writes "Table 3.1 Caption" (or Figure).
func (w *writer) caption(kind, number string, caption []ms.Span) {
	if number != "" {
		fmt.Fprintf(&w.b, "<span class=\"number\">%s</span> ", esc(fmt.Sprintf(w.opt.Label(kind+"_n"), number)))
	}
	w.inline(caption)
}

// elemID is the id of a numbered element: its label's, else its kind's
// prefix and its number ("tbl-4.1"), else none.
func elemID(label, prefix, number string) string {
	if id := ID(label); id != "" || number == "" {
		return id
	}
	return prefix + number
}

func (w *writer) table(t *ms.Table) {
	id := elemID(t.Label, "tbl-", t.Number)
	w.b.WriteString("<figure class=\"table\"")
	if id != "" {
		fmt.Fprintf(&w.b, " id=\"%s\"", esc(id))
	}
	w.b.WriteString(">\n<div class=\"scroll\" tabindex=\"0\"")
	if id != "" {
		fmt.Fprintf(&w.b, " aria-labelledby=\"%s-caption\"", esc(id))
	}
	w.b.WriteString(" role=\"region\">\n<table>\n")
	if len(t.Caption) > 0 || t.Number != "" {
		w.b.WriteString("<caption")
		if id != "" {
			fmt.Fprintf(&w.b, " id=\"%s-caption\"", esc(id))
		}
		w.b.WriteString(">")
		w.caption("table", t.Number, t.Caption)
		w.b.WriteString("</caption>\n")
	}
	align := func(i int) string {
		if i < len(t.Align) {
			switch t.Align[i] {
			case ms.AlignRight:
				return " class=\"num\""
			case ms.AlignCenter:
				return " class=\"center\""
			}
		}
		return ""
	}
	if len(t.Header) > 0 {
		w.b.WriteString("<thead>\n")
		for _, r := range t.Header {
			w.b.WriteString("<tr>")
			for i, c := range r {
				fmt.Fprintf(&w.b, "<th scope=\"col\"%s>", align(i))
				w.inline(c)
				w.b.WriteString("</th>")
			}
			w.b.WriteString("</tr>\n")
		}
		w.b.WriteString("</thead>\n")
	}
	w.b.WriteString("<tbody>\n")
	for _, r := range t.Rows {
		w.b.WriteString("<tr>")
		for i, c := range r {
			if i == 0 {
				// the first cell names the row (a country, an indicator)
				w.b.WriteString("<th scope=\"row\">")
				w.inline(c)
				w.b.WriteString("</th>")
				continue
			}
			fmt.Fprintf(&w.b, "<td%s>", align(i))
			w.inline(c)
			w.b.WriteString("</td>")
		}
		w.b.WriteString("</tr>\n")
	}
	w.b.WriteString("</tbody>\n</table>\n</div>\n")
	w.noteLines(t.Notes)
	w.b.WriteString("</figure>\n")
}

func (w *writer) figure(f *ms.Figure) {
	id := elemID(f.Label, "fig-", f.Number)
	w.b.WriteString("<figure")
	if id != "" {
		fmt.Fprintf(&w.b, " id=\"%s\"", esc(id))
	}
	w.b.WriteString(">\n")
	if src := w.opt.Image(f); src != "" {
		fmt.Fprintf(&w.b, "<img src=\"%s\" alt=\"%s\">\n", esc(src), esc(f.Alt))
	} else {
		fmt.Fprintf(&w.b, "<p class=\"alt\">%s</p>\n", esc(f.Alt))
	}
	if len(f.Caption) > 0 || f.Number != "" {
		w.b.WriteString("<figcaption>")
		w.caption("figure", f.Number, f.Caption)
		w.b.WriteString("</figcaption>\n")
	}
	w.b.WriteString("</figure>\n")
}

func (w *writer) chart(c *ms.Chart) {
	id := elemID(c.Label, "fig-", c.Number)
	fmt.Fprintf(&w.b, "<figure class=\"chart\" id=\"%s\">\n", esc(id))
	if svg := w.opt.Chart(c); svg != "" {
		w.b.WriteString(svg)
		w.b.WriteString("\n")
	}
	w.b.WriteString("<figcaption>")
	w.caption("figure", c.Number, c.Caption)
	w.b.WriteString("</figcaption>\n")
	w.chartData(c)
	w.noteLines(c.Notes)
	w.b.WriteString("</figure>\n")
}

// noteLines writes the lines under a table or chart: its notes, then its
// source.
func (w *writer) noteLines(lines [][]ms.Span) {
	for _, n := range lines {
		w.b.WriteString("<p class=\"note\">")
		w.inline(n)
		w.b.WriteString("</p>\n")
	}
}

// chartData writes a chart's values as a table, for readers who cannot
// see the chart and those who want the numbers.
func (w *writer) chartData(c *ms.Chart) {
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', c.Decimals, 64) }
	fmt.Fprintf(&w.b, "<details class=\"data\"><summary>%s</summary>\n<div class=\"scroll\"><table>\n", esc(w.opt.Label("chart_data")))
	unit := ""
	if c.Unit != "" {
		unit = " (" + c.Unit + ")"
	}
	switch c.Kind {
	case "line":
		w.b.WriteString("<thead><tr><th scope=\"col\"></th>")
		for _, s := range c.Series {
			fmt.Fprintf(&w.b, "<th scope=\"col\">%s</th>", esc(s.Name+unit))
		}
		w.b.WriteString("</tr></thead>\n<tbody>\n")
		for i, x := range c.X {
			fmt.Fprintf(&w.b, "<tr><th scope=\"row\">%s</th>", esc(x))
			for _, s := range c.Series {
				w.b.WriteString("<td class=\"num\">")
				if i < len(s.Values) && (i >= len(s.Missing) || !s.Missing[i]) {
					w.b.WriteString(esc(num(s.Values[i])))
				} else {
					w.b.WriteString("–")
				}
				w.b.WriteString("</td>")
			}
			w.b.WriteString("</tr>\n")
		}
	default: // bar, map: a value per category
		name := c.Title
		if len(c.Series) > 0 && name == "" {
			name = c.Series[0].Name
		}
		fmt.Fprintf(&w.b, "<thead><tr><th scope=\"col\"></th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n", esc(name+unit))
		for i, cat := range c.Categories {
			fmt.Fprintf(&w.b, "<tr><th scope=\"row\">%s</th><td class=\"num\">", esc(cat))
			if len(c.Series) > 0 && i < len(c.Series[0].Values) && (i >= len(c.Series[0].Missing) || !c.Series[0].Missing[i]) {
				w.b.WriteString(esc(num(c.Series[0].Values[i])))
			} else {
				w.b.WriteString("–")
			}
			w.b.WriteString("</td></tr>\n")
		}
	}
	w.b.WriteString("</tbody>\n</table></div></details>\n")
}

// inline writes spans: styles, links, cross-references, footnote marks.
func (w *writer) inline(spans []ms.Span) {
	for _, s := range spans {
		switch {
		case s.Note > 0:
			if !containsInt(w.notes, s.Note) {
				w.notes = append(w.notes, s.Note)
			}
			fmt.Fprintf(&w.b, "<sup class=\"fnref\"><a href=\"#fn-%d\" id=\"fnref-%d\">%d</a></sup>", s.Note, s.Note, s.Note)
			continue
		case s.Ref != "":
			if href := w.opt.Ref(s.Ref); href != "" {
				fmt.Fprintf(&w.b, "<a href=\"%s\">%s</a>", esc(href), esc(s.Text))
			} else {
				w.b.WriteString(esc(s.Text))
			}
			continue
		}
		open, close := "", ""
		if s.Style&ms.Code != 0 {
			open, close = "<code>", "</code>"
		}
		if s.Style&ms.Italic != 0 {
			open, close = open+"<em>", "</em>"+close
		}
		if s.Style&ms.Bold != 0 {
			open, close = open+"<strong>", "</strong>"+close
		}
		text := esc(s.Text)
		if s.Text == "\n" {
			text = "<br>"
		}
		if s.Link != "" {
			href := s.Link
			if strings.HasPrefix(href, "#") {
				href = w.opt.Ref(href[1:])
			}
			if href != "" && !strings.HasPrefix(strings.ToLower(href), "javascript:") {
				open, close = open+"<a href=\""+esc(href)+"\">", "</a>"+close
			}
		}
		w.b.WriteString(open + text + close)
	}
}

func containsInt(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// Labels lists the labels chapters define (headings, tables, figures,
// charts, boxes) and the chapter id each is in, for Ref.
func Labels(chs []*ms.Chapter, anchor func(h *ms.Heading) string) map[string][2]string {
	out := map[string][2]string{}
	for _, ch := range chs {
		id := ch.Meta.Chapter
		ch.Walk(func(b ms.Block) {
			switch b := b.(type) {
			case *ms.Heading:
				if b.Label != "" {
					out[b.Label] = [2]string{id, anchor(b)}
				}
			case *ms.Table:
				if b.Label != "" {
					out[b.Label] = [2]string{id, ID(b.Label)}
				}
			case *ms.Figure:
				if b.Label != "" {
					out[b.Label] = [2]string{id, ID(b.Label)}
				}
			case *ms.Chart:
				if b.Label != "" {
					out[b.Label] = [2]string{id, ID(b.Label)}
				}
			case *ms.Box:
				if b.Label != "" {
					out[b.Label] = [2]string{id, ID(b.Label)}
				}
			}
		})
	}
	return out
}

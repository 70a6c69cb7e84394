package typeset

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// ChartSVGs draws the charts of edition ed as SVG, from the display list
// the PDF draws them from (the same layout, the same marks): a backend
// beside the PDF writer, for the HTML edition. Each is a standalone <svg>
// in points, its text as <text> (selectable, searchable, read by screen
// readers through its title), by chart.
func ChartSVGs(t *Template, fs *FontSet, ed *Edition) (map[*ms.Chart]string, error) {
	out := map[*ms.Chart]string{}
	var charts []*ms.Chart
	for _, ch := range ed.Chapters {
		ch.Walk(func(b ms.Block) {
			if c, ok := b.(*ms.Chart); ok {
				charts = append(charts, c)
			}
		})
	}
	if len(charts) == 0 {
		return out, nil
	}
	e, err := newEngine(t, fs, ed)
	if err != nil {
		return nil, err
	}
	for _, c := range charts {
		items := e.chart(c, box{0, e.width})
		if len(items) == 0 || items[0].draw == nil {
			continue
		}
		p := &Page{}
		items[0].draw(p, 0, 0)
		out[c] = svgOf(p.Items, e.width, items[0].h, ms.PlainText(c.Caption))
	}
	return out, nil
}

// PageSVG draws page n (from 0) of a laid-out document as SVG, from its
// display list: the cover's thumbnail in the catalogue. Images are left
// out; text is set in the reader's sans-serif or serif font.
func PageSVG(doc *Document, n int, title string) string {
	if n < 0 || n >= len(doc.Pages) {
		return ""
	}
	return svgOf(doc.Pages[n].Items, doc.Width, doc.Height, title)
}

// svgOf writes display-list items in a box w by h points.
func svgOf(items []Item, w, h float64, title string) string {
	var b strings.Builder
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="100%%" role="img"><title>%s</title>`, f(w), f(h), html.EscapeString(title))
	for _, it := range items {
		switch it.Kind {
		case TextItem:
			text := it.Text
			if len(it.Parts) > 0 {
				text = strings.Join(it.Parts, " ")
			}
			family := "sans-serif"
			if it.Face != nil && strings.Contains(strings.ToLower(it.Face.Name), "serif") && !strings.Contains(strings.ToLower(it.Face.Name), "sans") {
				family = "serif"
			}
			weight := ""
			if it.Face != nil && strings.Contains(strings.ToLower(it.Face.Name+" "+it.Face.Path), "bold") {
				weight = ` font-weight="700"`
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" font-family="%s"%s fill="%s">%s</text>`, f(it.X), f(it.Y), f(it.Size), family, weight, svgColor(it.Color), html.EscapeString(text))
		case RuleItem:
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"`, f(it.X), f(it.Y), f(it.X+it.W), f(it.Y+it.H), svgColor(it.Color), f(it.LW))
			if len(it.Dash) > 0 {
				var ds []string
				for _, d := range it.Dash {
					ds = append(ds, f(d))
				}
				fmt.Fprintf(&b, ` stroke-dasharray="%s"`, strings.Join(ds, " "))
			}
			b.WriteString(`/>`)
		case RectItem:
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, f(it.X), f(it.Y), f(it.W), f(it.H), svgColor(it.Color))
		case PolyItem, OutlineItem:
			var pts []string
			for i := 0; i+1 < len(it.Points); i += 2 {
				pts = append(pts, f(it.Points[i])+","+f(it.Points[i+1]))
			}
			if it.Kind == PolyItem {
				fmt.Fprintf(&b, `<polygon points="%s" fill="%s"`, strings.Join(pts, " "), svgColor(it.Color))
				if it.LW > 0 {
					fmt.Fprintf(&b, ` stroke="%s" stroke-width="%s"`, svgColor(it.Stroke), f(it.LW))
				}
				b.WriteString(`/>`)
			} else {
				fmt.Fprintf(&b, `<polygon points="%s" fill="none" stroke="%s" stroke-width="%s"/>`, strings.Join(pts, " "), svgColor(it.Color), f(it.LW))
			}
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func svgColor(c Color) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

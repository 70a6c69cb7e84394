package build

import (
	"html"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/aceo-project/aceo/pipeline/htmled"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/reading"
)

// TestContents: each edition's contents file names every chapter in
// order with the PDF pages the layout gave it (pdftotext finds the
// chapter's title on its first page and each section's heading on its
// page), the chapters' key messages, and their text, footnotes included.
func TestContents(t *testing.T) {
	needTool(t, "pdftotext")
	srcs, outs := buildSamples(t)
	for _, o := range outs["aceo-sample"] {
		c, err := reading.Parse("contents", o.Contents)
		if err != nil {
			t.Fatal(err)
		}
		if c.Lang != o.Lang || c.Pages != o.Pages || c.PDF != "aceo-sample-"+o.Lang+".pdf" || len(c.Chapters) != len(o.Edition.Chapters) {
			t.Fatalf("%s: contents of %s, %d pages, %d chapters", o.Lang, c.PDF, c.Pages, len(c.Chapters))
		}
		pdf := writeTemp(t, o.PDF)
		page := func(n int) string {
			out, err := exec.Command("pdftotext", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), pdf, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			return strings.Join(strings.Fields(string(out)), "")
		}
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		withKeys, sections := 0, 0
		prev := 0
		for i, ch := range c.Chapters {
			if ch.ID != o.Edition.Chapters[i].Meta.Chapter || ch.FirstPage <= prev {
				t.Errorf("%s: chapter %d is %s from page %d", o.Lang, i, ch.ID, ch.FirstPage)
			}
			prev = ch.FirstPage
			if !strings.Contains(page(ch.FirstPage), squash(ch.Title)) {
				t.Errorf("%s: %s: page %d has no %q", o.Lang, ch.ID, ch.FirstPage, ch.Title)
			}
			if i+1 < len(c.Chapters) && ch.LastPage >= c.Chapters[i+1].FirstPage {
				t.Errorf("%s: %s ends on page %d, after the next begins", o.Lang, ch.ID, ch.LastPage)
			}
			if len(ch.KeyMessages) > 0 {
				withKeys++
			}
			for _, s := range ch.Sections {
				if s.Title == "" {
					continue
				}
				sections++
				if !strings.Contains(page(s.Page), squash(s.Number+s.Title)) {
					t.Errorf("%s: %s: section %s %q not on page %d", o.Lang, ch.ID, s.Number, s.Title, s.Page)
				}
				if s.Text == "" && s.Level == 1 {
					t.Errorf("%s: %s: section %s has no text", o.Lang, ch.ID, s.Number)
				}
			}
		}
		if withKeys < 5 || sections < 20 {
			t.Errorf("%s: %d chapters with key messages, %d sections", o.Lang, withKeys, sections)
		}
		all, _ := c.Marshal()
		for _, w := range map[string][]string{"en": {"mangrove", "Mekong", "PM2.5", "haze"}, "zh": {"红树林", "湄公河"}}[o.Lang] {
			if !strings.Contains(string(all), w) {
				t.Errorf("%s: the text has no %q", o.Lang, w)
			}
		}
		// the HTML edition: every chapter has its page; each chart is an
		// SVG drawn from the display list, whose texts include the bar
		// chart's categories, and whose data follow as a table
		charts := 0
		for i, ch := range o.Edition.Chapters {
			h := c.Chapters[i].HTML
			if !strings.HasPrefix(h, `<article class="chapter">`) {
				t.Errorf("%s: %s has no HTML page", o.Lang, ch.Meta.Chapter)
			}
			ch.Walk(func(b ms.Block) {
				chart, ok := b.(*ms.Chart)
				if !ok {
					return
				}
				charts++
				at := strings.Index(h, `<figure class="chart" id="`+htmled.ID(chart.Label))
				if at < 0 || !strings.HasPrefix(h[at:][strings.Index(h[at:], "\n")+1:], `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `) {
					t.Errorf("%s: chart %s: no SVG", o.Lang, chart.Number)
					return
				}
				svg := h[at : at+strings.Index(h[at:], "</svg>")]
				if chart.Kind == "bar" {
					for _, cat := range chart.Categories {
						if !strings.Contains(svg, ">"+html.EscapeString(cat)+"</text>") {
							t.Errorf("%s: chart %s: no label %q in the SVG", o.Lang, chart.Number, cat)
						}
					}
				}
				if !strings.Contains(h[at:], `<details class="data">`) {
					t.Errorf("%s: chart %s: no data table", o.Lang, chart.Number)
				}
			})
		}
		if charts < 2 {
			t.Errorf("%s: %d charts", o.Lang, charts)
		}
		if !strings.HasPrefix(c.Cover, "<svg") || !strings.Contains(c.Cover, html.EscapeString(c.Title)) && !strings.Contains(c.Cover, "<text") {
			t.Errorf("%s: cover %.80q", o.Lang, c.Cover)
		}
		// footnotes are in the text of their section
		for _, ch := range o.Edition.Chapters {
			for _, fn := range ch.Footnotes {
				if n := plain(fn); n != "" && !strings.Contains(string(all), n) {
					t.Errorf("%s: footnote %q not in the text", o.Lang, n)
				}
			}
		}
	}
	_ = srcs
}

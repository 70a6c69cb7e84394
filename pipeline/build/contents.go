package build

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/aceo-project/aceo/pipeline/htmled"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/reading"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// editionContents is the contents of a typeset edition: its chapters with
// the PDF pages the layout gave them, their key messages and their text by
// section, for the catalogue's contents and full-text search.
func editionContents(s *Sources, t *typeset.Template, fs *typeset.FontSet, ed *typeset.Edition, doc *typeset.Document) (*reading.Contents, error) {
	html, err := editionHTML(t, fs, ed)
	if err != nil {
		return nil, err
	}
	c := &reading.Contents{Version: reading.Version, Publication: s.Pub.ID, Lang: ed.Lang,
		Title: s.Pub.Title[ed.Lang], PDF: FileName(s.Pub, ed.Lang), Pages: len(doc.Pages), Chapters: []reading.Chapter{},
		Cover: typeset.PageSVG(doc, 0, s.Pub.Title[ed.Lang])}
	// where each part of the book opens (chapters, contents lists, the
	// glossary, the index): a chapter ends before the next part
	var opens []int
	for i, p := range doc.Pages {
		for _, o := range p.Outline {
			if o.Level == 0 {
				opens = append(opens, i+1)
			}
		}
	}
	for _, ch := range ed.Chapters {
		d, ok := doc.Dests[typeset.ChapterDest(ch)]
		if !ok || d.Page < 1 || d.Page > len(doc.Pages) {
			return nil, fmt.Errorf("%s edition: chapter %s has no page in the layout", ed.Lang, ch.Meta.Chapter)
		}
		rc := reading.Chapter{ID: ch.Meta.Chapter, Title: ch.Meta.Title, Authors: ch.Meta.Authors, Front: ch.Front,
			FirstPage: d.Page, LastPage: len(doc.Pages), FirstFolio: doc.Pages[d.Page-1].Folio}
		if i := sort.SearchInts(opens, d.Page+1); i < len(opens) {
			rc.LastPage = opens[i] - 1
		}
		rc.Summary = ch.Meta.Chapter == s.Pub.SummaryChapter
		// the last folio printed (a blank verso carries none)
		for p := rc.LastPage; p >= rc.FirstPage && rc.LastFolio == ""; p-- {
			rc.LastFolio = doc.Pages[p-1].Folio
		}
		switch {
		case ch.Front || ch.Unnumbered:
		case ch.Appendix != "":
			rc.Number, rc.Label = ch.Appendix, fmt.Sprintf(t.Label(ed.Lang, "appendix_n"), ch.Appendix)
		default:
			rc.Number, rc.Label = fmt.Sprint(ch.Number), fmt.Sprintf(t.Label(ed.Lang, "chapter_n"), ch.Number)
		}
		tw := textWriter{ch: ch, sections: []reading.Section{{Page: rc.FirstPage}}}
		for _, b := range ch.Blocks {
			if h, ok := b.(*ms.Heading); ok && h.Level <= 2 {
				page := rc.FirstPage
				if d, ok := doc.Dests[typeset.HeadingDest(ch, h)]; ok && d.Page >= rc.FirstPage && d.Page <= rc.LastPage {
					page = d.Page
				}
				tw.sections = append(tw.sections, reading.Section{Number: h.Number, Title: ms.PlainText(h.Content),
					Level: h.Level, Anchor: Anchor(ch, h), Page: page})
				continue
			}
			if bx, ok := b.(*ms.Box); ok && bx.Kind == ms.BoxKeyMessages {
				rc.KeyMessages = append(rc.KeyMessages, keyMessages(bx.Blocks)...)
			}
			tw.block(b)
		}
		for i := range tw.sections {
			tw.sections[i].Text = strings.TrimSuffix(tw.sections[i].Text, "\n")
		}
		// the opening section may be empty (a chapter that starts with a
		// heading)
		if tw.sections[0].Text == "" && len(tw.sections) > 1 {
			tw.sections = tw.sections[1:]
		}
		rc.Sections = tw.sections
		rc.HTML = html[ch]
		c.Chapters = append(c.Chapters, rc)
	}
	return c, nil
}

// Anchor is the id of a heading in its chapter's HTML page: the heading's
// label ("sec:drivers" as "sec-drivers"), else its number ("s3.2"), else
// its line.
func Anchor(ch *ms.Chapter, h *ms.Heading) string {
	switch {
	case h.Label != "":
		return htmled.ID(h.Label)
	case h.Number != "":
		return "s" + h.Number
	}
	return fmt.Sprintf("h%d", h.SrcLine)
}

// keyMessages are the items of a key-messages box (or its paragraphs).
func keyMessages(blocks []ms.Block) []string {
	var out []string
	for _, b := range blocks {
		switch b := b.(type) {
		case *ms.List:
			for _, item := range b.Items {
				var tw textWriter
				tw.sections = []reading.Section{{}}
				for _, ib := range item {
					tw.block(ib)
				}
				if t := strings.TrimSpace(strings.ReplaceAll(tw.sections[0].Text, "\n", " ")); t != "" {
					out = append(out, t)
				}
			}
		case *ms.Paragraph:
			if t := strings.TrimSpace(plain(b.Content)); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// plain is the text of spans as a reader sees it (citations as the
// edition formats them), without footnote marks.
func plain(spans []ms.Span) string {
	var b strings.Builder
	for _, s := range spans {
		if s.Note > 0 {
			continue
		}
		b.WriteString(s.Text)
	}
	t := strings.Join(strings.Fields(b.String()), " ")
	// the room a left-out citation leaves: "estuaries ( ) , and"
	t = strings.NewReplacer("( )", "", "()", "", "（）", "", "[ ]", "", "[]", "").Replace(t)
	t = spaceBeforePunct.ReplaceAllString(t, "$1")
	return strings.TrimSpace(strings.Join(strings.Fields(t), " "))
}

// spaceBeforePunct is a space left before punctuation.
var spaceBeforePunct = regexp.MustCompile(` +([,.;:!?)\]，。；：！？）])`)

// textWriter collects a chapter's text into its sections, a line per
// paragraph.
type textWriter struct {
	ch       *ms.Chapter
	sections []reading.Section
}

func (tw *textWriter) line(spans []ms.Span) {
	t := plain(spans)
	cur := &tw.sections[len(tw.sections)-1]
	if t != "" {
		cur.Text += t + "\n"
	}
	if tw.ch == nil {
		return
	}
	for _, s := range spans {
		if s.Note > 0 {
			if n := plain(tw.ch.Footnotes[s.Note]); n != "" {
				cur.Text += n + "\n"
			}
		}
	}
}

func (tw *textWriter) block(b ms.Block) {
	switch b := b.(type) {
	case *ms.Heading:
		tw.line(b.Content)
	case *ms.Paragraph:
		tw.line(b.Content)
	case *ms.Box:
		tw.line([]ms.Span{{Text: b.Title}})
		for _, c := range b.Blocks {
			tw.block(c)
		}
	case *ms.List:
		for _, item := range b.Items {
			for _, c := range item {
				tw.block(c)
			}
		}
	case *ms.Quote:
		for _, c := range b.Blocks {
			tw.block(c)
		}
	case *ms.Table:
		tw.line(b.Caption)
		for _, rows := range [][]ms.Row{b.Header, b.Rows} {
			for _, r := range rows {
				var cells []ms.Span
				for i, c := range r {
					if i > 0 {
						cells = append(cells, ms.Span{Text: " | "})
					}
					cells = append(cells, c...)
				}
				tw.line(cells)
			}
		}
		for _, n := range b.Notes {
			tw.line(n)
		}
	case *ms.Figure:
		tw.line(b.Caption)
		tw.line([]ms.Span{{Text: b.Alt}})
	case *ms.Chart:
		tw.line(b.Caption)
		if b.Title != "" {
			tw.line([]ms.Span{{Text: b.Title}})
		}
		for _, n := range b.Notes {
			tw.line(n)
		}
	case *ms.CodeBlock:
		tw.line([]ms.Span{{Text: b.Text}})
	}
}

// editionHTML writes each chapter of an edition as HTML (the HTML
// reading edition), its charts drawn as SVG from the PDF's display list
// and its images inline.
func editionHTML(t *typeset.Template, fs *typeset.FontSet, ed *typeset.Edition) (map[*ms.Chapter]string, error) {
	svgs, err := typeset.ChartSVGs(t, fs, ed)
	if err != nil {
		return nil, fmt.Errorf("%s edition: charts: %w", ed.Lang, err)
	}
	anchors := map[*ms.Heading]string{}
	for _, ch := range ed.Chapters {
		ch.Walk(func(b ms.Block) {
			if h, ok := b.(*ms.Heading); ok {
				anchors[h] = Anchor(ch, h)
			}
		})
	}
	anchor := func(h *ms.Heading) string { return anchors[h] }
	labels := htmled.Labels(ed.Chapters, anchor)
	out := map[*ms.Chapter]string{}
	for _, ch := range ed.Chapters {
		id := ch.Meta.Chapter
		out[ch] = htmled.Chapter(ch, htmled.Options{
			Label:  func(key string) string { return t.Label(ed.Lang, key) },
			Anchor: anchor,
			Ref: func(label string) string {
				at, ok := labels[label]
				switch {
				case !ok:
					return ""
				case at[0] == id:
					return "#" + at[1]
				}
				return "../" + at[0] + "/#" + at[1]
			},
			Chart: func(c *ms.Chart) string { return svgs[c] },
			Image: func(f *ms.Figure) string {
				img := ed.Images[f.Src]
				if img == nil {
					return ""
				}
				mime := "image/png"
				if img.Type == "jpg" {
					mime = "image/jpeg"
				}
				return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(img.Data)
			},
		})
	}
	return out, nil
}

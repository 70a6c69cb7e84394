package build

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

var outlineRE = regexp.MustCompile(`(?s)<</Title \((.*?)\)\n/Parent`)

// pdfOutline reads the bookmark titles of a PDF written by the library,
// in order: outline items are written in order, as plain objects or in
// object streams.
func pdfOutline(t *testing.T, pdf []byte) []string {
	t.Helper()
	var out []string
	for _, m := range outlineRE.FindAllSubmatch(append(objectStreamTexts(t, pdf), pdf...), -1) {
		raw := unescapePDF(m[1])
		if !bytes.HasPrefix(raw, []byte{0xfe, 0xff}) || len(raw)%2 != 0 {
			t.Fatalf("bookmark title is not UTF-16BE: %q", raw)
		}
		var u []uint16
		for i := 2; i+1 < len(raw); i += 2 {
			u = append(u, uint16(raw[i])<<8|uint16(raw[i+1]))
		}
		out = append(out, string(utf16.Decode(u)))
	}
	return out
}

func unescapePDF(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			out = append(out, b[i])
			continue
		}
		i++
		switch c := b[i]; c {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		default:
			if c >= '0' && c <= '7' {
				j := i
				for j < len(b) && j < i+3 && b[j] >= '0' && b[j] <= '7' {
					j++
				}
				v, _ := strconv.ParseUint(string(b[i:j]), 8, 8)
				out = append(out, byte(v))
				i = j - 1
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

// TestOutline: the PDF bookmarks of each sample edition are, in order, the
// front matter lists and every chapter, section and subsection, numbered,
// in the edition's language.
func TestOutline(t *testing.T) {
	srcs, outs := buildSamples(t)
	src := srcs["aceo-sample"]
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	for _, o := range outs["aceo-sample"] {
		ed, err := src.Edition(tpl, o.Lang)
		if err != nil {
			t.Fatal(err)
		}
		// the front chapters (a foreword) come before the contents
		var want []string
		for _, ch := range ed.Chapters {
			if ch.Front {
				want = append(want, ch.Meta.Title)
			}
		}
		want = append(want, tpl.Label(o.Lang, "contents"), tpl.Label(o.Lang, "list_of_tables"), tpl.Label(o.Lang, "list_of_figures"), tpl.Label(o.Lang, "list_of_boxes"))
		if len(ed.Abbreviations) > 0 {
			want = append(want, tpl.Label(o.Lang, "abbreviations"))
		}
		for _, ch := range ed.Chapters {
			if ch.Front {
				continue
			}
			if ch.Unnumbered { // the glossary
				want = append(want, ch.Meta.Title)
			} else if ch.Appendix != "" {
				// appendices are lettered: "Appendix A  Title"
				want = append(want, fmt.Sprintf(tpl.Label(o.Lang, "appendix_n"), ch.Appendix)+"  "+ch.Meta.Title)
			} else {
				want = append(want, fmt.Sprintf("%d  %s", ch.Number, ch.Meta.Title))
			}
			ch.Walk(func(b ms.Block) {
				if h, ok := b.(*ms.Heading); ok && h.Level <= 2 {
					want = append(want, strings.TrimSpace(h.Number+"  "+ms.PlainText(h.Content)))
				}
			})
		}
		if len(ed.Index) > 0 {
			want = append(want, tpl.Label(o.Lang, "index"))
		}
		got := pdfOutline(t, o.PDF)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s outline:\n got %q\nwant %q", o.Lang, got, want)
		}
		if len(got) < 40 {
			t.Errorf("%s: only %d bookmarks", o.Lang, len(got))
		}
	}
}

// TestFolios: cover and imprint carry no page number; the rest of the
// front matter is numbered in roman numerals from iii; the body is
// numbered from 1 on a right-hand (odd) page; every chapter opens on a
// right-hand page; blank pages carry no number.
func TestFolios(t *testing.T) {
	srcs, _ := buildSamples(t)
	src := srcs["aceo-sample"]
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	fonts := typeset.NewFontSet(typeset.DefaultFontDirs())
	for _, lang := range []string{"en", "zh"} {
		ed, err := src.Edition(tpl, lang)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := typeset.Render(tpl, fonts, ed)
		if err != nil {
			t.Fatal(err)
		}
		romans := []string{"", "", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
			"xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"}
		body := -1
		for i, p := range doc.Pages {
			n := i + 1
			if p.Folio == "1" {
				body = n
				break
			}
			if p.Blank {
				if p.Folio != "" {
					t.Errorf("%s: blank page %d has folio %q", lang, n, p.Folio)
				}
				continue
			}
			if i >= len(romans) || p.Folio != romans[i] {
				t.Errorf("%s: front page %d has folio %q", lang, n, p.Folio)
			}
		}
		if body < 0 || body%2 != 1 {
			t.Fatalf("%s: body starts on physical page %d", lang, body)
		}
		want := 1
		for i := body - 1; i < len(doc.Pages); i++ {
			p := doc.Pages[i]
			if p.Blank {
				// a blank verso: no folio, no running head, nothing at all
				if p.Folio != "" || len(p.Items) > 0 {
					t.Errorf("%s: blank page %d has folio %q and %d items", lang, i+1, p.Folio, len(p.Items))
				}
			} else if p.Folio != strconv.Itoa(want) {
				t.Errorf("%s: page %d has folio %q, want %d", lang, i+1, p.Folio, want)
			}
			want++
		}
		contents := doc.Dests["front:contents"].Page
		front := 0
		for _, ch := range ed.Chapters {
			d, ok := doc.Dests["sec:"+ch.Meta.Chapter]
			if !ok || d.Page%2 != 1 {
				t.Errorf("%s: chapter %s opens on physical page %d", lang, ch.Meta.Chapter, d.Page)
			}
			// a front chapter (the foreword) opens in the front matter, on
			// a roman page before the contents, and has no number
			if ch.Front {
				front++
				if d.Page >= contents || d.Page >= body || ch.Number != 0 || !ch.Unnumbered {
					t.Errorf("%s: front chapter %s on page %d (contents %d, body %d), number %d", lang, ch.Meta.Chapter, d.Page, contents, body, ch.Number)
				} else if f := doc.Pages[d.Page-1].Folio; d.Page > len(romans) || f != romans[d.Page-1] {
					t.Errorf("%s: front chapter %s has folio %q", lang, ch.Meta.Chapter, f)
				}
			} else if d.Page < body {
				t.Errorf("%s: chapter %s opens in the front matter", lang, ch.Meta.Chapter)
			}
			if ch.Meta.Chapter == "regional-context" && ch.Number != 1 {
				t.Errorf("%s: the first chapter after the foreword is numbered %d", lang, ch.Number)
			}
		}
		if front != len(src.Pub.Front) || front != 3 {
			t.Errorf("%s: %d front chapters, want the foreword, the acknowledgements and the summary", lang, front)
		}
	}
}

// TestImagesFit: every figure is scaled into the text area of its page.
func TestImagesFit(t *testing.T) {
	srcs, _ := buildSamples(t)
	src := srcs["aceo-sample"]
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	mm := 72 / 25.4
	ed, err := src.Edition(tpl, "en")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := typeset.Render(tpl, typeset.NewFontSet(typeset.DefaultFontDirs()), ed)
	if err != nil {
		t.Fatal(err)
	}
	images := 0
	for i, p := range doc.Pages {
		left := tpl.MarginMM.Outer * mm
		if (i+1)%2 == 1 {
			left = tpl.MarginMM.Inner * mm
		}
		right := left + (tpl.PageMM[0]-tpl.MarginMM.Inner-tpl.MarginMM.Outer)*mm
		top, bottom := tpl.MarginMM.Top*mm, (tpl.PageMM[1]-tpl.MarginMM.Bottom)*mm
		for _, it := range p.Items {
			if it.Kind != typeset.ImageItem {
				continue
			}
			images++
			if it.X < left-0.01 || it.X+it.W > right+0.01 || it.Y < top-0.01 || it.Y+it.H > bottom+0.01 {
				t.Errorf("page %d: image at %.1f,%.1f %.1fx%.1f leaves the text area", i+1, it.X, it.Y, it.W, it.H)
			}
			if r := it.W / it.H; r < 0.99*float64(it.Image.W)/float64(it.Image.H) || r > 1.01*float64(it.Image.W)/float64(it.Image.H) {
				t.Errorf("page %d: image distorted", i+1)
			}
		}
	}
	if images == 0 {
		t.Fatal("no image in the sample")
	}
}

package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/typeset"
	"github.com/aceo-project/aceo/templates"
)

var (
	sampleOnce sync.Once
	sampleOuts map[string][]Output
	sampleSrc  map[string]*Sources
	sampleErr  error
)

var samples = []string{"aceo-sample", "policy-study-sample"}

// buildSamples builds both sample publications once for all tests.
func buildSamples(t *testing.T) (map[string]*Sources, map[string][]Output) {
	t.Helper()
	sampleOnce.Do(func() {
		sampleOuts = map[string][]Output{}
		sampleSrc = map[string]*Sources{}
		for _, s := range samples {
			src, err := Load(filepath.Join("..", "..", "chapters", s), Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs())})
			if err != nil {
				sampleErr = err
				return
			}
			outs, err := Build(src, Options{})
			if err != nil {
				sampleErr = err
				return
			}
			sampleSrc[s], sampleOuts[s] = src, outs
		}
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return sampleSrc, sampleOuts
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is required (apt-get install poppler-utils): %v", name, err)
	}
}

func writeTemp(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// bodyText extracts the text of every page cropped to the text area, so
// that running heads and folios are left out, with all white space removed;
// opts are further pdftotext options such as -layout.
func bodyText(t *testing.T, pdf []byte, opts ...string) string {
	t.Helper()
	tpl, err := typeset.LoadTemplate(templates.FS, "outlook")
	if err != nil {
		t.Fatal(err)
	}
	mm := 72 / 25.4
	top := tpl.MarginMM.Top * mm
	h := (tpl.PageMM[1] - tpl.MarginMM.Top - tpl.MarginMM.Bottom) * mm
	args := append(opts, "-x", "0", "-y", strconv.Itoa(int(top)-2), "-W", "700", "-H", strconv.Itoa(int(h)+4), writeTemp(t, pdf), "-")
	out, err := exec.Command("pdftotext", args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	return squeeze(string(out))
}

// squeeze removes white space, and hyphens, which pdftotext drops where a
// line breaks after one.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\f' || r == '-' {
			return -1
		}
		return r
	}, s)
}

// findInOrder finds chunk in text at or after pos, allowing it to be cut
// in at most three pieces (by a page break and the footnotes of a page).
func findInOrder(text, chunk string, pos int) (int, bool) {
	for pieces := 0; pieces < 3 && chunk != ""; pieces++ {
		if i := strings.Index(text[pos:], chunk); i >= 0 {
			return pos + i + len(chunk), true
		}
		// longest prefix of chunk (in whole characters) found after pos
		var starts []int
		for i := range chunk {
			starts = append(starts, i)
		}
		starts = append(starts, len(chunk))
		lo, hi := 1, len(starts)-1
		best, bestAt := 0, -1
		for lo <= hi {
			mid := (lo + hi) / 2
			if i := strings.Index(text[pos:], chunk[:starts[mid]]); i >= 0 {
				best, bestAt = starts[mid], pos+i
				lo = mid + 1
			} else {
				hi = mid - 1
			}
		}
		if best < 4 {
			return pos, false
		}
		pos = bestAt + best
		chunk = chunk[best:]
	}
	return pos, chunk == ""
}

// chunks returns the text of spans cut at footnote marks, squeezed.
func chunks(spans []ms.Span) []string {
	var out []string
	var b strings.Builder
	for _, s := range spans {
		if s.Note > 0 {
			out = append(out, squeeze(b.String()))
			b.Reset()
			continue
		}
		b.WriteString(s.Text)
	}
	return append(out, squeeze(b.String()))
}

// TestGoldenText checks that the text of each sample edition contains
// every heading and paragraph of the drafts, in order.
func TestGoldenText(t *testing.T) {
	needTool(t, "pdftotext")
	srcs, outs := buildSamples(t)
	for _, name := range samples {
		src := srcs[name]
		tpl, _ := typeset.LoadTemplate(templates.FS, src.Pub.Template)
		for _, o := range outs[name] {
			t.Run(name+"/"+o.Lang, func(t *testing.T) {
				text := bodyText(t, o.PDF)
				ed, err := src.Edition(tpl, o.Lang)
				if err != nil {
					t.Fatal(err)
				}
				pos, checked := 0, 0
				for _, ch := range ed.Chapters {
					var ok bool
					if pos, ok = findInOrder(text, squeeze(ch.Meta.Title), pos); !ok {
						t.Fatalf("%s: chapter title %q not found in order", ch.File, ch.Meta.Title)
					}
					ch.Walk(func(b ms.Block) {
						var spans []ms.Span
						switch b := b.(type) {
						case *ms.Heading:
							spans = b.Content
						case *ms.Paragraph:
							spans = b.Content
						default:
							return
						}
						for _, c := range chunks(spans) {
							if c == "" {
								continue
							}
							var ok bool
							p, ok := findInOrder(text, c, pos)
							if !ok {
								t.Errorf("%s:%d: text not found in order in the %s PDF: %q", ch.File, b.Line(), o.Lang, c)
								return
							}
							pos = p
							checked++
						}
					})
				}
				if checked < 20 && name == "aceo-sample" {
					t.Fatalf("only %d blocks checked", checked)
				}
			})
		}
	}
}

// bbox-layout structures
type bboxDoc struct {
	Pages []struct {
		Width  float64 `xml:"width,attr"`
		Height float64 `xml:"height,attr"`
		Flows  []struct {
			Blocks []struct {
				Lines []struct {
					Words []bboxWord `xml:"word"`
				} `xml:"line"`
			} `xml:"block"`
		} `xml:"flow"`
	} `xml:"body>doc>page"`
}

type bboxWord struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

// TestLayoutInvariants checks every page of both sample editions: every
// word lies inside the text area or the running head and foot bands, and
// no line of Chinese starts with closing punctuation.
func TestLayoutInvariants(t *testing.T) {
	needTool(t, "pdftotext")
	_, outs := buildSamples(t)
	tpl, _ := typeset.LoadTemplate(templates.FS, "outlook")
	mm := 72 / 25.4
	for _, name := range samples {
		for _, o := range outs[name] {
			t.Run(name+"/"+o.Lang, func(t *testing.T) {
				out, err := exec.Command("pdftotext", "-bbox-layout", writeTemp(t, o.PDF), "-").Output()
				if err != nil {
					t.Fatal(err)
				}
				out = bytes.ReplaceAll(out, []byte("<!DOCTYPE"), []byte("<!-- "))
				out = bytes.Replace(out, []byte("\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">"), []byte("-->"), 1)
				var doc bboxDoc
				dec := xml.NewDecoder(bytes.NewReader(out))
				dec.Strict = false
				if err := dec.Decode(&doc); err != nil {
					t.Fatal(err)
				}
				if len(doc.Pages) < 5 {
					t.Fatalf("only %d pages", len(doc.Pages))
				}
				words, lines, justified := 0, 0, 0
				for pi, pg := range doc.Pages {
					n := pi + 1
					left := tpl.MarginMM.Outer * mm
					if n%2 == 1 {
						left = tpl.MarginMM.Inner * mm
					}
					right := left + (tpl.PageMM[0]-tpl.MarginMM.Inner-tpl.MarginMM.Outer)*mm
					top := (tpl.MarginMM.Top-tpl.HeadMM)*mm - 12
					bottom := pg.Height - tpl.MarginMM.Bottom*mm + tpl.FootMM*mm + 4
					const tol = 1.0
					for _, f := range pg.Flows {
						for _, b := range f.Blocks {
							for _, l := range b.Lines {
								for _, w := range l.Words {
									words++
									if w.XMin < left-tol || w.XMax > right+tol || w.YMin < top-tol || w.YMax > bottom+tol {
										t.Errorf("page %d: word %q at x %.1f-%.1f y %.1f-%.1f lies outside the text area x %.1f-%.1f y %.1f-%.1f",
											n, w.Text, w.XMin, w.XMax, w.YMin, w.YMax, left, right, top, bottom)
									}
								}
								// justified English lines: no word space wider than
								// 0.6 em of body text (about two and a half normal
								// spaces: with no break inside proper nouns or
								// compounds and three letters at least on each side
								// of a hyphen, a narrow list item may need that much)
								// (body text only: the cells of a table row, set in
								// smaller type, may read as one line with wide gaps)
								if o.Lang == "en" && len(l.Words) >= 6 && !strings.Contains(lineString(l.Words), " . .") &&
									l.Words[0].YMax-l.Words[0].YMin > 1.2*tpl.Sizes.Body &&
									l.Words[len(l.Words)-1].XMax-l.Words[0].XMin > 0.9*(right-left) {
									justified++
									for k := 1; k+1 < len(l.Words); k++ {
										if gap := l.Words[k+1].XMin - l.Words[k].XMax; gap > 0.6*tpl.Sizes.Body {
											t.Errorf("page %d: stretched line, %.1f pt between %q and %q: %s", n, gap, l.Words[k].Text, l.Words[k+1].Text, lineString(l.Words))
										}
									}
								}
								if o.Lang == "zh" && len(l.Words) > 0 {
									lines++
									first := []rune(l.Words[0].Text)
									if len(first) > 0 && strings.ContainsRune("，。、；：？！）」』”’》】", first[0]) {
										t.Errorf("page %d: line starts with closing punctuation: %q", n, l.Words[0].Text)
									}
									last := []rune(l.Words[len(l.Words)-1].Text)
									if len(last) > 0 && strings.ContainsRune("（「『“‘《【", last[len(last)-1]) {
										t.Errorf("page %d: line ends with opening punctuation: %q", n, l.Words[len(l.Words)-1].Text)
									}
								}
							}
						}
					}
				}
				if o.Lang == "en" && name == "aceo-sample" && justified < 200 {
					t.Fatalf("only %d justified lines checked", justified)
				}
				if words < 500 {
					t.Fatalf("only %d words checked", words)
				}
				if o.Lang == "zh" && name == "aceo-sample" && lines < 100 {
					t.Fatalf("only %d Chinese lines checked", lines)
				}
			})
		}
	}
}

// TestDeterministic builds the sample twice: same bytes.
func TestDeterministic(t *testing.T) {
	_, outs := buildSamples(t)
	src, err := Load(filepath.Join("..", "..", "chapters", "aceo-sample"), Options{Templates: templates.FS, Fonts: typeset.NewFontSet(typeset.DefaultFontDirs())})
	if err != nil {
		t.Fatal(err)
	}
	again, err := Build(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range outs["aceo-sample"] {
		a, b := sha256.Sum256(o.PDF), sha256.Sum256(again[i].PDF)
		if a != b {
			t.Errorf("%s edition differs between two builds: %x vs %x", o.Lang, a, b)
		}
	}
}

// TestSampleSize checks the sample publication's promise: at least six
// chapters, each at least 800 English words and 1,200 Chinese characters.
func TestSampleSize(t *testing.T) {
	srcs, _ := buildSamples(t)
	src := srcs["aceo-sample"]
	if len(src.Pub.Chapters) < 6 {
		t.Fatalf("%d chapters", len(src.Pub.Chapters))
	}
	for _, id := range src.Pub.Chapters {
		if slices.Contains(src.Pub.Front, id) {
			continue // a foreword is short
		}
		en, zh := src.Chapters[id]["en"], src.Chapters[id]["zh"]
		body := func(c *ms.Chapter) string { return strings.SplitN(string(c.Source), "\n---\n", 2)[1] }
		if n := len(strings.Fields(body(en))); n < 800 {
			t.Errorf("%s: %d English words", en.File, n)
		}
		han := 0
		for _, r := range body(zh) {
			if unicode.Is(unicode.Han, r) {
				han++
			}
		}
		if han < 1200 {
			t.Errorf("%s: %d Chinese characters", zh.File, han)
		}
	}
}

func TestPDFMetadata(t *testing.T) {
	needTool(t, "pdfinfo")
	_, outs := buildSamples(t)
	for _, o := range outs["aceo-sample"] {
		info, err := exec.Command("pdfinfo", writeTemp(t, o.PDF)).Output()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"en": "ASEAN-China Environment Outlook", "zh": "中国—东盟环境展望"}[o.Lang]
		if !strings.Contains(string(info), "Title:") || !strings.Contains(string(info), want) {
			t.Errorf("%s: title %q missing from metadata:\n%s", o.Lang, want, info)
		}
		if !strings.Contains(string(info), "595.28 x 841.89 pts (A4)") {
			t.Errorf("%s: not A4:\n%s", o.Lang, info)
		}
		if !bytes.Contains(o.PDF, []byte(fmt.Sprintf("/Lang (%s)", map[string]string{"en": "en", "zh": "zh-CN"}[o.Lang]))) {
			t.Errorf("%s: document language not set", o.Lang)
		}
		if !bytes.Contains(o.PDF, []byte("/Outlines")) {
			t.Errorf("%s: no outline", o.Lang)
		}
	}
}

// TestFontBytesUnchanged: the PDF library is given each font's bytes
// without a copy, shared by both editions; building must leave them as
// they were read.
func TestFontBytesUnchanged(t *testing.T) {
	fonts := typeset.NewFontSet(typeset.DefaultFontDirs())
	src, err := Load(filepath.Join("..", "..", "chapters", "policy-study-sample"), Options{Templates: templates.FS, Fonts: fonts})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(src, Options{}); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range fonts.Loaded() {
		disk, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(disk, f.Data) {
			t.Errorf("font %s changed during the build", f.Path)
		}
		if f.SHA256() != fmt.Sprintf("%x", sha256.Sum256(disk)) {
			t.Errorf("font %s: wrong SHA-256", f.Path)
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("only %d fonts checked", checked)
	}
}

func lineString(ws []bboxWord) string {
	var parts []string
	for _, w := range ws {
		parts = append(parts, w.Text)
	}
	return strings.Join(parts, " ")
}

// TestCoverAndImprint: the cover names the edition's title, the title in
// the other language and the sample notice in both languages; the imprint
// page carries the suggested citation and the disclaimer.
func TestCoverAndImprint(t *testing.T) {
	needTool(t, "pdftotext")
	srcs, outs := buildSamples(t)
	pub := srcs["aceo-sample"].Pub
	for _, o := range outs["aceo-sample"] {
		file := writeTemp(t, o.PDF)
		page := func(n int) string {
			out, err := exec.Command("pdftotext", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), file, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			return squeeze(string(out))
		}
		cover, imprint := page(1), page(2)
		for _, want := range []string{pub.Title["en"], pub.Title["zh"], pub.Notice["en"], pub.Notice["zh"], strconv.Itoa(pub.Year)} {
			if !strings.Contains(cover, squeeze(want)) {
				t.Errorf("%s cover lacks %q", o.Lang, want)
			}
		}
		for _, want := range []string{pub.Citation[o.Lang], pub.Disclaimer[o.Lang]} {
			if !strings.Contains(imprint, squeeze(want)) {
				t.Errorf("%s imprint lacks %q", o.Lang, want)
			}
		}
	}
}

package typeset

import (
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/hyphen"
	"github.com/aceo-project/aceo/templates"
)

var (
	testFontsOnce sync.Once
	testFonts     *FontSet
)

// stack loads a fallback list of real fonts (installed by scripts/setup.sh).
func stack(t *testing.T, files ...string) *Stack {
	t.Helper()
	testFontsOnce.Do(func() { testFonts = NewFontSet(DefaultFontDirs()) })
	st := &Stack{fs: testFonts}
	for _, f := range files {
		if _, err := testFonts.Path(f); err != nil {
			t.Fatalf("font %s is required: %v", f, err)
		}
		st.refs = append(st.refs, FontRef{File: f})
	}
	st.faces = make([]*Face, len(st.refs))
	return st
}

func lineText(ln line) string {
	var b strings.Builder
	for _, e := range ln.elems {
		switch e.kind {
		case eBox:
			b.WriteString(e.text)
		case eGlue:
			if !e.cjk {
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

const zhSample = "东盟成员国（AMS）与中国共享河流流域、海岸线和迁徙物种。“绿色发展”是双方的共同目标：在发展经济的同时，不耗尽支撑发展的自然系统！河内（Hà Nội）的PM2.5年均浓度为44 µg/m³，见表\u00a01.1；《行动计划》要求每两到三年更新一次……这是一个“重要”的议题，我们需要加强合作？是的。"

// TestChineseLineRules breaks a punctuation-heavy Chinese paragraph at
// every measure from 8 to 40 characters: no line may start with closing
// punctuation or end with opening punctuation, no text is lost, and the
// reference "表 1.1" is never split.
func TestChineseLineRules(t *testing.T) {
	st := stack(t, "NotoSerif-Regular.ttf", "gbsn00lp.ttf", "DroidSansFallbackFull.ttf")
	st.refs[0].Skip = []RuneRange{{0x2014, 0x2014}, {0x2018, 0x201F}, {0x2026, 0x2026}, {0x00B7, 0x00B7}}
	var sc scratch
	size := 10.0
	want := strings.ReplaceAll(strings.ReplaceAll(zhSample, " ", ""), "\u00a0", "")
	for n := 8; n <= 40; n++ {
		el := sc.shape([]piece{{text: zhSample, stack: st, size: size}}, true, func(r rune) { t.Fatalf("no font for %q", r) })
		lines := sc.breakLines(el, float64(n)*size, 2*size, false)
		var got strings.Builder
		for i, ln := range lines {
			s := lineText(ln)
			got.WriteString(strings.ReplaceAll(s, " ", ""))
			first, _ := utf8.DecodeRuneInString(s)
			last, _ := utf8.DecodeLastRuneInString(s)
			if noStart(first) {
				t.Errorf("measure %d, line %d starts with %q: %q", n, i, first, s)
			}
			if i < len(lines)-1 && noEnd(last) {
				t.Errorf("measure %d, line %d ends with %q: %q", n, i, last, s)
			}
			if strings.HasSuffix(s, "表") {
				t.Errorf("measure %d: reference split after 表: %q", n, s)
			}
			if set := setWidth(ln); set > ln.target+0.01 {
				t.Errorf("measure %d, line %d overfull: %.2f > %.2f", n, i, set, ln.target)
			}
		}
		if got.String() != want {
			t.Fatalf("measure %d: text changed:\n got %q\nwant %q", n, got.String(), want)
		}
	}
}

// TestQuarterSpace: Chinese next to Latin letters or digits gets a
// quarter-em space; a typed space there becomes the same quarter em; no
// space is added between Chinese characters and Chinese punctuation.
func TestQuarterSpace(t *testing.T) {
	st := stack(t, "NotoSerif-Regular.ttf", "gbsn00lp.ttf")
	var sc scratch
	for _, text := range []string{"在ASEAN国家", "在 ASEAN 国家"} {
		el := sc.shape([]piece{{text: text, stack: st, size: 10}}, true, nil)
		var quarters int
		for _, e := range el {
			if e.kind == eGlue && !e.cjk {
				if e.w != 2.5 {
					t.Errorf("%q: space of %.2f, want a quarter em (2.5)", text, e.w)
				}
				quarters++
			}
		}
		if quarters != 2 {
			t.Errorf("%q: %d quarter spaces, want 2", text, quarters)
		}
	}
	el := sc.shape([]piece{{text: "中国，东盟。", stack: st, size: 10}}, true, nil)
	for _, e := range el {
		if e.kind == eGlue && e.w != 0 {
			t.Errorf("space of %.2f between Chinese characters", e.w)
		}
	}
}

// TestJustifiedEnglish: every line but the last is set to the full
// measure by stretching or shrinking word spaces within bounds, and the
// breaker never leaves a line loose when a better set of breaks exists
// (the ratio stays small on this ordinary paragraph).
func TestJustifiedEnglish(t *testing.T) {
	st := stack(t, "NotoSerif-Regular.ttf")
	var sc scratch
	text := strings.Repeat("Regional cooperation on the environment depends on shared data, trusted institutions and people who know each other. ", 6)
	el := sc.shape([]piece{{text: text, stack: st, size: 10.5}}, false, nil)
	el = hyphenate(el, patterns(t), map[string][]int{})
	lines := sc.breakLines(el, 430, 0, false)
	hyphens := 0
	if len(lines) < 8 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, ln := range lines[:len(lines)-1] {
		if ln.ratio < -1 || ln.ratio > 2 { // beyond 2: a very loose line (LineStats.Loose)
			t.Errorf("line %d: adjustment ratio %.2f (%q)", i, ln.ratio, lineText(ln))
		}
		if d := setWidth(ln) - ln.target; d > 0.01 || d < -0.01 {
			t.Errorf("line %d set to %.2f, measure %.2f", i, setWidth(ln), ln.target)
		}
		if ln.hyphen != nil {
			hyphens++
			if i > 0 && lines[i-1].hyphen != nil {
				t.Logf("lines %d and %d both hyphenated", i-1, i)
			}
		}
	}
	t.Logf("%d lines, %d hyphenated", len(lines), hyphens)
}

// setWidth is the width of a justified line as drawn.
func setWidth(ln line) float64 {
	set := ln.natural
	for _, e := range ln.elems {
		if e.kind == eGlue {
			if ln.ratio > 0 {
				set += ln.ratio * e.stretch
			} else {
				set += ln.ratio * e.shrink
			}
		}
	}
	return set
}

func patterns(t *testing.T) *hyphen.Patterns {
	t.Helper()
	tpl := &Template{Name: "test", Hyphenation: map[string]string{"en": "hyph_en_US.dic"}}
	p, err := tpl.Patterns("en")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHyphenatedLine: a hyphenated line ends with its hyphen drawn, and
// the text of the parts joins back into the word.
func TestHyphenatedLine(t *testing.T) {
	st := stack(t, "NotoSerif-Regular.ttf")
	var sc scratch
	el := sc.shape([]piece{{text: "intergovernmental institutions", stack: st, size: 10}}, false, nil)
	el = hyphenate(el, patterns(t), map[string][]int{})
	lines := sc.breakLines(el, 60, 0, false)
	if len(lines) < 2 || lines[0].hyphen == nil {
		t.Fatalf("expected a hyphenated first line, got %d lines", len(lines))
	}
	var p Page
	drawLine(&p, lines[0], 0, 10, justify)
	last := p.Items[len(p.Items)-1]
	text := last.Text
	if len(last.Parts) > 0 {
		text = last.Parts[len(last.Parts)-1]
	}
	if !strings.HasSuffix(text, "-") {
		t.Errorf("first line does not end with a hyphen: %+v", p.Items)
	}
	var all strings.Builder
	for i, ln := range lines {
		if i > 0 && lines[i-1].hyphen == nil {
			all.WriteByte(' ') // the space the break took
		}
		all.WriteString(lineText(ln))
	}
	if got := all.String(); got != "intergovernmental institutions" {
		t.Errorf("parts join to %q", got)
	}
}

// TestFirstFit: ragged lines take as many words as fit.
func TestFirstFit(t *testing.T) {
	st := stack(t, "NotoSans-Regular.ttf")
	var sc scratch
	el := sc.shape([]piece{{text: "EIA training participants from Brunei Darussalam and other places", stack: st, size: 8.6}}, false, nil)
	lines := sc.breakLines(el, 80, 0, true)
	for i := 0; i+1 < len(lines); i++ {
		next := lines[i+1].elems[0]
		if lines[i].natural+st.faces[0].Advance(' ')*8.6/1000+next.w <= 80 {
			t.Errorf("line %d %q could also hold %q", i, lineText(lines[i]), next.text)
		}
	}
	if got := lineText(lines[0]); got != "EIA training" {
		t.Errorf("first line %q", got)
	}
}

// TestHyphenationRules: capitalised words (proper nouns), the parts of a
// compound with its own hyphen and breaks leaving fewer than three
// letters on a side are never hyphenation points; an ordinary long word
// still is.
func TestHyphenationRules(t *testing.T) {
	st := stack(t, "NotoSerif-Regular.ttf")
	var sc scratch
	pats := patterns(t)
	points := func(text string) map[string][]string {
		el := sc.shape([]piece{{text: text, stack: st, size: 10}}, false, nil)
		el = hyphenate(el, pats, map[string][]int{})
		out := map[string][]string{}
		var word []string
		flush := func() {
			if len(word) > 1 {
				out[strings.Join(word, "")] = append([]string(nil), word...)
			}
			word = word[:0]
		}
		for _, e := range el {
			switch {
			case e.kind == eBox:
				word = append(word, e.text)
			case e.kind == ePenalty && e.hyphen:
			default:
				flush()
			}
		}
		flush()
		return out
	}
	got := points("Indonesia Philippines cost-effective reports environmental")
	for w := range got {
		if w != "environmental" {
			t.Errorf("%q is hyphenated: %q", w, got[w])
		}
	}
	parts := got["environmental"]
	if len(parts) < 2 {
		t.Fatalf("environmental is not hyphenated: %v", got)
	}
	for _, p := range parts {
		if len([]rune(p)) < minHyphenSide {
			t.Errorf("environmental broken as %q: a part under %d letters", parts, minHyphenSide)
		}
	}
}

// TestHyphenRuns: on a narrow measure that invites a hyphen on every
// line, no more than two lines in a row end in one, and the last line of
// the paragraph is never the end of a hyphenated word.
func TestHyphenRuns(t *testing.T) {
	st := stack(t, "NotoSerif-Regular.ttf")
	var sc scratch
	text := strings.Repeat("intergovernmental environmental administrations communicating interdisciplinary recommendations internationally ", 8)
	el := sc.shape([]piece{{text: strings.TrimSpace(text), stack: st, size: 10}}, false, nil)
	el = hyphenate(el, patterns(t), map[string][]int{})
	for _, measure := range []float64{90, 110, 130, 150, 170, 200} {
		lines := sc.breakLines(el, measure, 0, false)
		run, hyphens := 0, 0
		for i, ln := range lines {
			if ln.hyphen == nil {
				run = 0
				continue
			}
			hyphens++
			run++
			if run > maxHyphenRun {
				t.Errorf("measure %v: line %d is the %dth hyphenated line in a row", measure, i, run)
			}
			if i == len(lines)-2 && !hasSpace(lines[i+1]) {
				t.Errorf("measure %v: the last line is the end of a hyphenated word alone", measure)
			}
		}
		if hyphens == 0 {
			t.Errorf("measure %v: no hyphen at all in %d lines", measure, len(lines))
		}
	}
}

// TestUnbreakableRuns: "——" and "……" are one box with no break point or
// justification space inside, a number range does not break at its dash,
// and the two dashes of "——" are drawn joined by a bar over the font's
// gap.
func TestUnbreakableRuns(t *testing.T) {
	st := zhStack(t)
	var sc scratch
	for _, text := range []string{"他说——", "等等……", "（2009—2015）", "2009–2015"} {
		el := sc.shape([]piece{{text: "甲" + text + "乙", stack: st, size: 10}}, true, nil)
		for i, e := range el {
			if e.kind == eBox {
				continue
			}
			prev, next := "", ""
			for k := i - 1; k >= 0 && prev == ""; k-- {
				prev = el[k].text
			}
			for k := i + 1; k < len(el) && next == ""; k++ {
				next = el[k].text
			}
			inRun := func(s string) bool {
				return strings.HasSuffix(s, "—") || strings.HasSuffix(s, "…") || strings.HasSuffix(s, "–") || (len(s) > 0 && s[len(s)-1] >= '0' && s[len(s)-1] <= '9')
			}
			starts := func(s string) bool {
				return strings.HasPrefix(s, "—") || strings.HasPrefix(s, "…") || strings.HasPrefix(s, "–") || (len(s) > 0 && s[0] >= '0' && s[0] <= '9')
			}
			if inRun(prev) && starts(next) && (strings.ContainsAny(prev+next, "—–…")) {
				t.Errorf("%q: a break point or space between %q and %q", text, prev, next)
			}
		}
	}
	el := sc.shape([]piece{{text: "——", stack: st, size: 10}}, true, nil)
	if len(el) != 1 || el[0].text != "——" {
		t.Fatalf("—— shaped as %d elements", len(el))
	}
	if !el[0].face.dashOK {
		t.Fatal("the Chinese font's dash is not measured")
	}
	var p Page
	lines := sc.breakLines(el, 200, 0, true)
	drawLine(&p, lines[0], 0, 20, alignLeft)
	bars := 0
	for _, it := range p.Items {
		if it.Kind == RectItem {
			bars++
			d := el[0].face.dash
			if it.X < d[1]*0.01-0.01 || it.X+it.W > 10+d[0]*0.01+0.1 || it.H <= 0 || it.H > 1 {
				t.Errorf("bar at x %.2f w %.2f h %.2f, dash ink %.0f-%.0f", it.X, it.W, it.H, d[0], d[1])
			}
		}
	}
	if bars != 1 {
		t.Errorf("%d bars drawn for ——", bars)
	}
}

// zhStack is the Chinese edition's serif stack: Noto Serif for Latin text
// but not for the quotes, dashes and ellipsis, which come from the
// Chinese font.
func zhStack(t *testing.T) *Stack {
	st := stack(t, "NotoSerif-Regular.ttf", "gbsn00lp.ttf")
	st.refs[0].Skip = []RuneRange{{0x2014, 0x2014}, {0x2018, 0x201F}, {0x2026, 0x2026}, {0xB7, 0xB7}}
	return st
}

// TestLatinSymbols: in the English edition, the mathematical signs Noto
// lacks (≥ ≤ − → ≈) come from a Latin font of the same style, not from the
// Chinese Song or Kai font.
func TestLatinSymbols(t *testing.T) {
	tpl, err := LoadTemplate(templates.FS, "outlook")
	if err != nil {
		t.Fatal(err)
	}
	testFontsOnce.Do(func() { testFonts = NewFontSet(DefaultFontDirs()) })
	st, err := tpl.Stacks(testFonts, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"serif", "serif-bold", "serif-italic", "serif-bolditalic", "sans", "sans-bold", "mono"} {
		for _, r := range "≥≤−→≈" {
			f, ok := st[role].FaceFor(r)
			if !ok || f.Name == "gbsn00lp" || f.Name == "gkai00mp" || strings.HasPrefix(f.Name, "DroidSansFallback") || f.Name == "" {
				name := ""
				if f != nil {
					name = f.Name
				}
				t.Errorf("%s %q: from %q", role, r, name)
			}
		}
	}
}

// TestNoLineStartsWithDash: a spaced dash stays at the end of its line;
// whatever the measure, no line starts with it.
func TestNoLineStartsWithDash(t *testing.T) {
	st := stack(t, "NotoSerif-Regular.ttf")
	var sc scratch
	el := sc.shape([]piece{{text: strings.Repeat("Training sessions were held — five of six planned – and the network grew. ", 6), stack: st, size: 10}}, false, nil)
	for measure := 60.0; measure <= 400; measure += 7 {
		for _, ragged := range []bool{true, false} {
			for i, ln := range sc.breakLines(el, measure, 0, ragged) {
				if txt := lineText(ln); strings.HasPrefix(txt, "—") || strings.HasPrefix(txt, "–") {
					t.Errorf("measure %v: line %d starts with a dash: %q", measure, i, txt)
				}
			}
		}
	}
}

// TestNoLoneWordTail: a paragraph's last line is never the tail of a word
// broken at its own hyphen ("north-/east.") either.
func TestNoLoneWordTail(t *testing.T) {
	st := stack(t, "NotoSerif-Regular.ttf")
	var sc scratch
	el := sc.shape([]piece{{text: "China's forests stretch from tropical rainforest in Xishuangbanna and Hainan to the boreal forests of the north-east.", stack: st, size: 10.5}}, false, nil)
	el = hyphenate(el, patterns(t), map[string][]int{})
	for measure := 150.0; measure <= 450; measure += 1 {
		lines := sc.breakLines(el, measure, 0, false)
		if n := len(lines); n >= 2 && !hasSpace(lines[n-1]) && strings.HasSuffix(lineText(lines[n-2]), "-") {
			t.Errorf("measure %v: the last line is %q", measure, lineText(lines[n-1]))
		}
	}
}

package pdffont

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

const (
	notoSerifCJK = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
	dejaVuSerif  = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
)

// load reads a font the project's setup installs; a missing one fails
// the test (scripts/setup.sh installs it), it never skips.
func load(t *testing.T, path string, index int) *Font {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (scripts/setup.sh installs it)", err)
	}
	f, err := Parse(b, index)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// scIndex is the position of the Simplified Chinese face in a Noto CJK
// collection.
func scIndex(t *testing.T, path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (scripts/setup.sh installs fonts-noto-cjk)", err)
	}
	for i := 0; i < 10; i++ {
		f, err := Parse(b, i)
		if err != nil {
			break
		}
		if strings.HasSuffix(f.PostScriptName, "SC-Regular") || strings.Contains(f.PostScriptName, "CJKsc-") {
			return i
		}
	}
	t.Fatalf("no Simplified Chinese face in %s", path)
	return 0
}

func glyphsOf(t *testing.T, f *Font, text string) []uint16 {
	t.Helper()
	gs := []uint16{0}
	seen := map[uint16]bool{0: true}
	for _, r := range text {
		g := f.Glyph(r)
		if g == 0 {
			t.Fatalf("%s has no glyph for %q", f.PostScriptName, r)
		}
		if !seen[g] {
			seen[g] = true
			gs = append(gs, g)
		}
	}
	return gs
}

// TestCFFSubset: the subset of a CID-keyed CJK font, read back, has the
// glyphs asked for in order, each drawing what it drew in the font (its
// charstring with the subroutines copied in) under the same Private DICT,
// with no subroutines left and CID n for glyph n.
func TestCFFSubset(t *testing.T) {
	f := load(t, notoSerifCJK, scIndex(t, notoSerifCJK))
	if !f.CFF() {
		t.Fatal("Noto Serif CJK read as TrueType")
	}
	checkCFFSubset(t, f, "东盟与中国环境展望，。“”——《》（）ABC 2013")
	// a name-keyed CFF becomes CID-keyed
	b, err := os.ReadFile("testdata/CFFTest.otf")
	if err != nil {
		t.Fatal(err)
	}
	nk, err := Parse(b, 0)
	if err != nil {
		t.Fatal(err)
	}
	var text []rune
	for r := rune(32); r < 0x3000 && len(text) < 8; r++ {
		if nk.Glyph(r) != 0 {
			text = append(text, r)
		}
	}
	if len(text) == 0 {
		t.Fatal("CFFTest.otf maps no character")
	}
	checkCFFSubset(t, nk, string(text))
}

func checkCFFSubset(t *testing.T, f *Font, text string) {
	t.Helper()
	src, err := parseCFF(f.cffTable)
	if err != nil {
		t.Fatal(err)
	}
	gs := glyphsOf(t, f, text)
	out, err := subsetCFF(f.cffTable, gs)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := parseCFF(out)
	if err != nil {
		t.Fatalf("the subset does not parse: %v", err)
	}
	if !sub.cid {
		t.Error("the subset is not CID-keyed")
	}
	if sub.chars.count != len(gs) {
		t.Fatalf("%d charstrings, want %d", sub.chars.count, len(gs))
	}
	if sub.gsubrs.count != 0 {
		t.Errorf("%d global subroutines kept", sub.gsubrs.count)
	}
	for i := range sub.lsubrs {
		if sub.lsubrs[i].count != 0 {
			t.Errorf("font dict %d keeps %d local subroutines", i, sub.lsubrs[i].count)
		}
	}
	if e, ok := find(sub.top, opCIDCount); !ok || e.ints[0] != len(gs) {
		t.Errorf("CIDCount %v, want %d", e.ints, len(gs))
	}
	for i, g := range gs {
		want, err := src.flatten(src.chars.item(int(g)), src.fdOf(int(g)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sub.chars.item(i), want) {
			t.Errorf("glyph %d (was %d) draws differently", i, g)
		}
		if !bytes.Equal(sub.privates[sub.fdOf(i)], src.privates[src.fdOf(int(g))]) {
			t.Errorf("glyph %d (was %d) has another Private DICT", i, g)
		}
	}
	t.Logf("%s: %d glyphs in %d bytes (the font's CFF: %d)", f.PostScriptName, len(gs), len(out), len(f.cffTable))
}

// TestFlattenRefusesHostileCharstrings: endless or absurd subroutine
// calls end in an error, not a hang or a crash.
func TestFlattenRefusesHostileCharstrings(t *testing.T) {
	selfCall := []byte{139 - 107 + 0, 10} // callsubr 0 (bias 107) ...
	subrs, err := readIndex(appendIndex(nil, [][]byte{append([]byte{32}, 10)}), 0)
	if err != nil {
		t.Fatal(err)
	}
	f := &cffFont{lsubrs: []cffIndex{subrs}}
	for name, cs := range map[string][]byte{
		"recursion":         selfCall,
		"no operand":        {10},
		"missing subr":      {139 + 50, 10},
		"number cut":        {28, 1},
		"unsupported op":    {12, 9},
		"hint mask cut":     {139, 139, 1, 19},
		"escape at the end": {12},
	} {
		fl := &flattener{f: f, lsubrs: f.lsubrs[0]}
		if _, err := fl.run(cs, 0); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// pdfWith writes a one-page PDF showing texts[i] in fonts[i] (its glyphs
// by code, one line per font).
func pdfWith(t *testing.T, fonts []*Font, texts ...string) ([]byte, []*Subset) {
	t.Helper()
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: 600, Ht: 200}})
	pdf.SetCompression(true)
	date := time.Date(2013, 11, 15, 0, 0, 0, 0, time.UTC) // fixed: the bytes depend only on the text
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	var subs []*Subset
	pdf.AddPage()
	for i, f := range fonts {
		s := f.NewSubset()
		subs = append(subs, s)
		var hex strings.Builder
		for _, r := range texts[i] {
			g := f.Glyph(r)
			c, err := s.Code(g, []rune{r})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&hex, "%04X", c)
		}
		name := fmt.Sprintf("AG%d", i)
		pdf.AddFontObjects(name, func(w *fpdf.ObjectWriter) (int, error) { return s.Put(w) })
		pdf.RawWriteStr(fmt.Sprintf("BT /%s 20 Tf 20 %d Td <%s> Tj ET", name, 160-40*i, hex.String()))
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), subs
}

func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s (scripts/setup.sh installs poppler-utils)", name, args, err, out)
	}
	return string(out)
}

// TestEmbeddedFonts: a PDF showing text in a TrueType font and in a CFF
// font of a collection names both by their PostScript names with subset
// tags, as CID TrueType and CID Type 0C, embedded and subset; its text
// extracts as written; and the pages render.
func TestEmbeddedFonts(t *testing.T) {
	cjk := load(t, notoSerifCJK, scIndex(t, notoSerifCJK))
	latin := load(t, dejaVuSerif, 0)
	text := "东盟与中国环境展望（2013—2015）"
	latinText := "Outlook ≥ 2013–2015 — office"
	pdfBytes, subs := pdfWith(t, []*Font{cjk, latin}, text, latinText)
	dir := t.TempDir()
	path := filepath.Join(dir, "fonts.pdf")
	if err := os.WriteFile(path, pdfBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	fonts := tool(t, "pdffonts", path)
	for i, want := range []string{"CID Type 0C", "CID TrueType"} {
		line := ""
		for _, l := range strings.Split(fonts, "\n") {
			if strings.HasPrefix(l, subs[i].BaseFont()) {
				line = l
			}
		}
		if line == "" {
			t.Fatalf("pdffonts does not list %s:\n%s", subs[i].BaseFont(), fonts)
		}
		if !strings.Contains(line, want) || !strings.Contains(line, "Identity-H") || !strings.Contains(line, "yes yes yes") {
			t.Errorf("%s: %q, want %s, Identity-H, embedded, subset, ToUnicode", subs[i].BaseFont(), line, want)
		}
	}
	if !strings.Contains(subs[0].BaseFont(), "+NotoSerifCJKsc-Regular") || !strings.Contains(subs[1].BaseFont(), "+DejaVuSerif") {
		t.Errorf("names %s, %s", subs[0].BaseFont(), subs[1].BaseFont())
	}
	got := tool(t, "pdftotext", path, "-")
	if !strings.Contains(got, text) || !strings.Contains(got, latinText) {
		t.Errorf("pdftotext gives %q, want %q and %q", got, text, latinText)
	}
	// both lines render: ink on each line's band
	tool(t, "pdftoppm", "-r", "72", "-gray", "-png", path, filepath.Join(dir, "page"))
	if os.Getenv("PDFFONT_KEEP") != "" {
		os.WriteFile(os.Getenv("PDFFONT_KEEP"), pdfBytes, 0o644)
	}
	if _, err := os.Stat(filepath.Join(dir, "page-1.png")); err != nil {
		t.Fatal(err)
	}
	if len(pdfBytes) > 60000 {
		t.Errorf("%d bytes for 17 glyphs in two fonts: not subset", len(pdfBytes))
	}
	t.Logf("%d bytes", len(pdfBytes))
}

// TestSubsetDeterministic: the same glyphs give the same bytes and tag;
// other glyphs another tag.
func TestSubsetDeterministic(t *testing.T) {
	cjk := load(t, notoSerifCJK, scIndex(t, notoSerifCJK))
	a, sa := pdfWith(t, []*Font{cjk}, "环境")
	time.Sleep(1100 * time.Millisecond) // a second apart, as two builds are
	b, sb := pdfWith(t, []*Font{cjk}, "环境")
	_, sc := pdfWith(t, []*Font{cjk}, "展望")
	if !bytes.Equal(a, b) {
		t.Error("the same text gave different PDFs")
	}
	if sa[0].Tag() != sb[0].Tag() || sa[0].Tag() == sc[0].Tag() {
		t.Errorf("tags %s %s %s", sa[0].Tag(), sb[0].Tag(), sc[0].Tag())
	}
}

// TestTrueTypeSubsetDeterministic: a TrueType subset keeps the font's own
// dates (the subsetting library writes the time of writing) and valid
// checksums, so two documents a second apart have the same bytes.
func TestTrueTypeSubsetDeterministic(t *testing.T) {
	f := load(t, dejaVuSerif, 0)
	prog := func() []byte {
		s := f.NewSubset()
		for _, r := range "Outlook ≥ 2013" {
			if _, err := s.Code(f.Glyph(r), []rune{r}); err != nil {
				t.Fatal(err)
			}
		}
		p, err := s.program()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := prog()
	time.Sleep(1100 * time.Millisecond) // the library's dates have seconds
	if b := prog(); !bytes.Equal(a, b) {
		t.Fatal("two subsets a second apart differ")
	}
	if sum := checksum(a); sum != 0xB1B0AFBA {
		t.Errorf("whole-font checksum %#x, want 0xB1B0AFBA", sum)
	}
	orig := f.data
	if !bytes.Contains(a, orig[bytes.Index(orig, []byte{0x5f, 0x0f, 0x3c, 0xf5})-12:][:36][20:36]) {
		t.Error("the subset's head does not keep the font's created and modified dates")
	}
}

// TestSameGlyphTwoCharacters: a glyph drawn for two characters (as a
// font may draw space and no-break space, or A and Greek Alpha) gets a
// code for each, and each extracts as itself.
func TestSameGlyphTwoCharacters(t *testing.T) {
	f := load(t, dejaVuSerif, 0)
	g := f.Glyph('A')
	s := f.NewSubset()
	a, _ := s.Code(g, []rune{'A'})
	b, _ := s.Code(g, []rune{'Α'})
	again, _ := s.Code(g, []rune{'A'})
	if a == b || a != again {
		t.Fatalf("codes %d, %d, %d", a, b, again)
	}
	cmap := string(s.toUnicode())
	if !strings.Contains(cmap, fmt.Sprintf("<%04X> <0041>", a)) || !strings.Contains(cmap, fmt.Sprintf("<%04X> <0391>", b)) {
		t.Errorf("ToUnicode:\n%s", cmap)
	}
	if _, err := s.program(); err != nil {
		t.Fatalf("a subset with a glyph twice: %v", err)
	}
}

// charstringWidth is the advance of charstring cs in font units: its
// width operand plus nominal, or def without one.
func charstringWidth(t *testing.T, cs []byte, nominal, def int) int {
	t.Helper()
	var ops []int
	for i := 0; i < len(cs); {
		c := cs[i]
		switch {
		case c >= 32 && c <= 246:
			ops = append(ops, int(c)-139)
			i++
			continue
		case c >= 247 && c <= 250:
			ops = append(ops, (int(c)-247)*256+int(cs[i+1])+108)
			i += 2
			continue
		case c >= 251 && c <= 254:
			ops = append(ops, -(int(c)-251)*256-int(cs[i+1])-108)
			i += 2
			continue
		case c == 28:
			ops = append(ops, int(int16(uint16(cs[i+1])<<8|uint16(cs[i+2]))))
			i += 3
			continue
		case c == 255:
			ops = append(ops, 0)
			i += 5
			continue
		}
		k := len(ops)
		has := false
		switch c {
		case 1, 3, 18, 23, 19, 20:
			has = k%2 == 1
		case 21:
			has = k > 2
		case 22, 4:
			has = k > 1
		case 14:
			has = k == 1 || k == 5
		default:
			t.Fatalf("charstring begins with operator %d", c)
		}
		if has {
			return nominal + ops[0]
		}
		return def
	}
	t.Fatal("charstring without an operator")
	return 0
}

// TestNarrowCodesAgreeWithTheFont: a code set narrower than its glyph (a
// punctuation mark losing its blank half) is a copy of the glyph whose
// charstring has that advance, so that the font program and the PDF's
// widths agree for every code (PDF/A-2, 6.2.11.5), the outline unchanged;
// a TrueType glyph cannot be set narrower.
func TestNarrowCodesAgreeWithTheFont(t *testing.T) {
	f := load(t, notoSerifCJK, scIndex(t, notoSerifCJK))
	s := f.NewSubset()
	comma, paren, han := f.Glyph('，'), f.Glyph('（'), f.Glyph('中')
	for _, c := range []struct {
		g     uint16
		r     rune
		width int
	}{{comma, '，', 500}, {comma, '，', f.Advance(comma)}, {paren, '（', 500}, {han, '中', f.Advance(han)}, {comma, '，', 750}} {
		if _, err := s.CodeWidth(c.g, []rune{c.r}, c.width); err != nil {
			t.Fatal(err)
		}
	}
	prog, err := s.program()
	if err != nil {
		t.Fatal(err)
	}
	sub, err := parseCFF(prog)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := parseCFF(f.cffTable)
	defaultWidth := func(ff *cffFont, fd int) int {
		ents, _ := parseDict(ff.privates[fd])
		if e, ok := find(ents, 20); ok && len(e.ints) == 1 {
			return e.ints[0]
		}
		return 0
	}
	narrowed := 0
	for c := 0; c < s.Len(); c++ {
		fd := sub.fdOf(c)
		got := charstringWidth(t, sub.chars.item(c), sub.nominal[fd], defaultWidth(sub, fd))
		if got != s.Width(uint16(c)) { // Noto CJK: 1000 units an em
			t.Errorf("code %d: the font program says %d wide, the widths %d", c, got, s.Width(uint16(c)))
		}
		g := s.old[c]
		orig, _ := src.flatten(src.chars.item(int(g)), src.fdOf(int(g)))
		if s.Width(uint16(c)) != f.Advance(g) {
			narrowed++
			// the same outline after the width
			w0, _ := setWidth(orig, 0)
			w1, _ := setWidth(sub.chars.item(c), 0)
			if !bytes.Equal(w0, w1) {
				t.Errorf("code %d: the narrow copy of glyph %d draws differently", c, g)
			}
		} else if !bytes.Equal(sub.chars.item(c), orig) {
			t.Errorf("code %d: glyph %d at its own width was changed", c, g)
		}
	}
	if narrowed != 3 {
		t.Errorf("%d narrow codes, want 3", narrowed)
	}
	tt := load(t, dejaVuSerif, 0)
	if _, err := tt.NewSubset().CodeWidth(tt.Glyph(','), []rune{','}, 100); err == nil {
		t.Error("a TrueType glyph was set narrower")
	}
}

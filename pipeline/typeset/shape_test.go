package typeset

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var updateShaping = flag.Bool("update", false, "rewrite testdata/golden files")

// TestKerningGolden: the glyphs and advances (thousandths of an em) of
// kerning pairs, ligatures and Chinese punctuation pairs, as shaped in
// the template's body faces, against testdata/golden/shaping.txt (-update
// rewrites it). Kerned pairs must also come out narrower than their
// unkerned advances, and ligatures as one glyph standing for both
// letters, so the golden cannot record a shaping that does nothing.
func TestKerningGolden(t *testing.T) {
	en := testEngine(t, "en")
	zh := testEngine(t, "zh")
	latin := en.st["serif"].face(0)
	cjk := zh.st["serif"].face(1)
	var b strings.Builder
	kerned, ligatures := 0, 0
	for _, s := range []string{"AV", "To", "Ty", "Wa", "Yo", "r.", "f.", "office", "fifteen", "flow", "1990–2010"} {
		run := latin.shaped(s)
		if run == nil {
			t.Fatalf("%s cannot shape", latin.Path)
		}
		unkerned := 0.0
		for _, r := range s {
			unkerned += latin.Advance(r)
		}
		if run.width < unkerned-0.5 && len(run.glyphs) == len([]rune(s)) {
			kerned++
		}
		for _, g := range run.glyphs {
			if len([]rune(g.text)) > 1 {
				ligatures++
			}
		}
		fmt.Fprintf(&b, "%s %q:", filepath.Base(latin.Path), s)
		for _, g := range run.glyphs {
			fmt.Fprintf(&b, " %d/%q/%.1f", g.gid, g.text, g.adv)
		}
		fmt.Fprintf(&b, " = %.1f (unshaped %.0f)\n", run.width, unkerned)
	}
	for _, s := range []string{"；“", "：“", "》（", "”、（", "。」"} {
		run := cjk.shaped(s)
		if run == nil {
			t.Fatalf("%s cannot shape", cjk.Path)
		}
		fmt.Fprintf(&b, "%s %q:", cjk.Name, s)
		for _, g := range run.glyphs {
			fmt.Fprintf(&b, " %d/%q/%.1f", g.gid, g.text, g.adv)
		}
		fmt.Fprintf(&b, " = %.1f\n", run.width)
	}
	if kerned < 4 {
		t.Errorf("only %d of the kerning pairs came out kerned:\n%s", kerned, b.String())
	}
	if ligatures < 2 {
		t.Errorf("only %d ligatures (office, fifteen, flow):\n%s", ligatures, b.String())
	}
	golden := filepath.Join("testdata", "golden", "shaping.txt")
	if *updateShaping {
		os.MkdirAll(filepath.Dir(golden), 0o755)
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to record it)", err)
	}
	if string(want) != b.String() {
		t.Errorf("shaping differs from %s:\n%s", golden, b.String())
	}
}

// TestPunctuationCompression: of two blank halves of adjacent full-width
// punctuation, one goes (clreq 3.1.6): "；“", "）：", "”、（" and "》（" take
// half an em less per pair, "（“" loses the second mark's left half, and
// marks apart from each other, or a mark beside a Han character, keep
// their full em.
func TestPunctuationCompression(t *testing.T) {
	zh := testEngine(t, "zh")
	st := zh.st["serif"]
	size := 10.0
	var sc scratch
	for _, c := range []struct {
		text string
		want []float64 // em per character
	}{
		{"甲；“乙", []float64{1, 0.5, 1, 1}},
		{"南宁）：绿", []float64{1, 1, 0.5, 1, 1}},
		{"文”、（丙", []float64{1, 0.5, 0.5, 1, 1}},
		{"》（", []float64{0.5, 1}},
		{"（“甲", []float64{1, 0.5, 1}},
		{"甲，乙。丙", []float64{1, 1, 1, 1, 1}},
		{"甲（乙）丙", []float64{1, 1, 1, 1, 1}},
	} {
		el := sc.shape([]piece{{text: c.text, stack: st, size: size}}, true, nil)
		var got []float64
		for _, e := range el {
			if e.kind == eBox {
				got = append(got, math.Round(e.w/size*100)/100)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: widths %v em, want %v", c.text, got, c.want)
		}
	}
}

// FuzzShapingView: any bytes and index end in a view or an error, never a
// panic; a view is a font file the shaping library's loader accepts.
func FuzzShapingView(f *testing.F) {
	fs := NewFontSet(DefaultFontDirs())
	for _, n := range []string{"NotoSerif-Regular.ttf", "NotoSerifCJK-Regular.ttc"} {
		p, err := fs.Path(n)
		if err != nil {
			f.Fatal(err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 4096)], 0)
	}
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"), 0)
	f.Fuzz(func(t *testing.T, data []byte, index int) {
		view, err := shapingView(data, index)
		if err != nil {
			return
		}
		if len(view) < 12 || len(view)%4 != 0 {
			t.Fatalf("view of %d bytes", len(view))
		}
	})
}

// TestShapeConcurrently: editions are laid out and written at the same
// time and share their faces. Goroutines shaping on one fresh face must
// get the glyphs a lone shaping gets (and, under -race, share no state:
// a shaper keeps the face it first shaped with, so shapers and faces
// are pooled as pairs).
func TestShapeConcurrently(t *testing.T) {
	en := testEngine(t, "en")
	path := en.st["serif"].face(0).Path
	shared, err := LoadFace(path)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := LoadFace(path)
	if err != nil {
		t.Fatal(err)
	}
	words := make([]string, 3000)
	for i := range words {
		words[i] = fmt.Sprintf("office %d flow AV%d", i, i*7)
	}
	const workers = 12
	errs := make(chan string, workers)
	for w := 0; w < workers; w++ {
		go func(w int) {
			bad := ""
			for i := range words {
				s := words[(i*(w+1)+w*97)%len(words)]
				got, want := shared.shaped(s), alone.shapedAlone(s)
				if got == nil || fmt.Sprint(got.glyphs) != fmt.Sprint(want) {
					bad = fmt.Sprintf("%q shaped as %v concurrently, %v alone", s, got, want)
					break
				}
			}
			errs <- bad
		}(w)
	}
	for w := 0; w < workers; w++ {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

// shapedAlone shapes s under a lock, for comparison.
func (f *Face) shapedAlone(s string) []shapedGlyph {
	aloneMu.Lock()
	defer aloneMu.Unlock()
	run := f.shaped(s)
	if run == nil {
		return nil
	}
	return run.glyphs
}

var aloneMu sync.Mutex

func TestAppendHundredths(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 5669: "56.69", -1460: "-14.6", 100: "1", -5: "-0.05", 70: "0.7", 123456: "1234.56"} {
		if got := string(appendHundredths(nil, n)); got != want {
			t.Errorf("%d hundredths written %q, want %q", n, got, want)
		}
	}
}

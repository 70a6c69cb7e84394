package pdffont

import (
	"os"
	"testing"
)

// FuzzSubsetCFF: any CFF table ends in a subset or an error, never a
// panic or a hang, with or without a glyph set at another width; a subset
// that is made reads back with its glyphs.
func FuzzSubsetCFF(f *testing.F) {
	b, err := os.ReadFile("testdata/CFFTest.otf")
	if err != nil {
		f.Fatal(err)
	}
	font, err := Parse(b, 0)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(font.cffTable, uint16(1), uint16(2))
	f.Add([]byte{1, 0, 4, 1, 0, 0}, uint16(0), uint16(0))
	f.Fuzz(func(t *testing.T, table []byte, g1, g2 uint16) {
		out, err := subsetCFF(table, []uint16{0, g1 % 64, g2 % 64})
		if err != nil {
			return
		}
		// the same glyphs, the second set at another width (a narrowed
		// punctuation mark): a subset or an error, and the width read back
		if src, err := parseCFF(table); err == nil {
			if w, err := src.subset([]uint16{0, g1 % 64, g2 % 64}, map[int]int{2: int(g1%2000) - 1000}); err == nil {
				if _, err := parseCFF(w); err != nil {
					t.Fatalf("a subset with a width set that does not read back: %v", err)
				}
			}
		}
		sub, err := parseCFF(out)
		if err != nil {
			t.Fatalf("a subset that does not read back: %v", err)
		}
		if sub.chars.count != 3 {
			t.Fatalf("%d glyphs, want 3", sub.chars.count)
		}
	})
}

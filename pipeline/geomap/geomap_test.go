package geomap

import (
	"strings"
	"testing"
)

var region11 = []string{"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "CHN"}

// TestRegion: the embedded boundaries hold every country a map colours,
// inside the frame, each with a label point inside its bounds, and say
// where they come from.
func TestRegion(t *testing.T) {
	r, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Source, "Natural Earth") || !strings.Contains(r.Licence, "public domain") {
		t.Errorf("source %q, licence %q", r.Source, r.Licence)
	}
	for _, code := range region11 {
		s := r.Shape(code)
		if s == nil || len(s.Rings) == 0 {
			t.Errorf("%s: no shape", code)
			continue
		}
		lo, hi := s.Bounds()
		if lo.X < r.West || hi.X > r.East || lo.Y < r.South || hi.Y > r.North {
			t.Errorf("%s: bounds %v-%v outside the frame", code, lo, hi)
		}
		at, ok := LabelAt[code]
		// a small country's symbol may sit beside its tiny outline
		slack := 0.0
		if Small[code] {
			slack = 0.5
		}
		if !ok || at.X < lo.X-slack || at.X > hi.X+slack || at.Y < lo.Y-slack || at.Y > hi.Y+slack {
			t.Errorf("%s: label point %v outside %v-%v", code, at, lo, hi)
		}
	}
	w, h := r.Size()
	if w <= 0 || h <= 0 {
		t.Fatalf("size %v×%v", w, h)
	}
	// the frame's corners project to the map's corners
	if p := r.Project(Point{r.West, r.North}); p.X != 0 || p.Y != 0 {
		t.Errorf("north-west corner at %v", p)
	}
	if p := r.Project(Point{r.East, r.South}); abs(p.X-w) > 1e-9 || abs(p.Y-h) > 1e-9 {
		t.Errorf("south-east corner at %v, want %v×%v", p, w, h)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// TestClasses: quantile breaks split eleven values into classes of two
// or three, each value in the class its breaks give (a value equal to a
// break starts the class above), with the legend lowest first; repeated
// values give fewer classes; given breaks are used as they are.
func TestClasses(t *testing.T) {
	vals := map[string]float64{"BRN": 72, "KHM": 57, "IDN": 52, "LAO": 68, "MYS": 62, "MMR": 48, "PHL": 26, "SGP": 3, "THA": 37, "VNM": 45, "CHN": 22}
	var v []float64
	for _, c := range region11 {
		v = append(v, vals[c])
	}
	breaks := Quantiles(v, 5)
	// sorted: 3 22 26 | 37 45 | 48 52 | 57 62 | 68 72
	want := []float64{37, 48, 57, 68}
	if len(breaks) != len(want) {
		t.Fatalf("breaks %v, want %v", breaks, want)
	}
	for i := range want {
		if breaks[i] != want[i] {
			t.Fatalf("breaks %v, want %v", breaks, want)
		}
	}
	wantClass := map[string]int{"SGP": 0, "CHN": 0, "PHL": 0, "THA": 1, "VNM": 1, "MMR": 2, "IDN": 2, "KHM": 3, "MYS": 3, "LAO": 4, "BRN": 4}
	for _, c := range region11 {
		if got := Class(vals[c], breaks); got != wantClass[c] {
			t.Errorf("%s (%v): class %d, want %d", c, vals[c], got, wantClass[c])
		}
	}
	if got := strings.Join(Legend(breaks, 0, 3, 72), " | "); got != "< 37 | 37–48 | 48–57 | 57–68 | ≥ 68" {
		t.Errorf("legend %q", got)
	}
	if got := strings.Join(Legend([]float64{10.5, 25}, 1, 0, 40), " | "); got != "< 10.5 | 10.5–25.0 | ≥ 25.0" {
		t.Errorf("legend of given breaks %q", got)
	}
	// three distinct values cannot make five classes
	if b := Quantiles([]float64{1, 1, 1, 2, 2, 2, 3, 3, 3}, 5); len(b) != 2 || b[0] != 2 || b[1] != 3 {
		t.Errorf("breaks of three levels %v", b)
	}
	// one value: one class, named by it
	if b := Quantiles([]float64{7}, 5); len(b) != 0 || strings.Join(Legend(b, 0, 7, 7), "") != "7" {
		t.Errorf("one value: breaks %v", b)
	}
	if Class(100, nil) != 0 {
		t.Error("no breaks: not class 0")
	}
}

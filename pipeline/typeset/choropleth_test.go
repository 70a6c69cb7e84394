package typeset

import (
	"math"
	"testing"
)

// TestHatch: the lines that hatch a polygon stay inside it, a concave
// polygon's gap included, and cover it at the hatching's spacing.
func TestHatch(t *testing.T) {
	// a U: two posts joined at the bottom, the gap between x=10 and x=20
	u := []float64{0, 0, 10, 0, 10, 20, 20, 20, 20, 0, 30, 0, 30, 30, 0, 30}
	p := &Page{}
	hatch(p, u)
	if len(p.Items) < 20 {
		t.Fatalf("%d hatch lines", len(p.Items))
	}
	inside := func(x, y float64) bool {
		if x < -1e-6 || x > 30+1e-6 || y < -1e-6 || y > 30+1e-6 {
			return false
		}
		return !(x > 10+1e-6 && x < 20-1e-6 && y < 20-1e-6)
	}
	for _, it := range p.Items {
		if it.Kind != RuleItem || it.Color != mapHatch {
			t.Fatalf("item %+v", it)
		}
		for _, f := range []float64{0, 0.25, 0.5, 0.75, 1} {
			x, y := it.X+f*it.W, it.Y+f*it.H
			if !inside(x, y) {
				t.Errorf("hatch line from (%.1f,%.1f) to (%.1f,%.1f) leaves the polygon at (%.1f,%.1f)", it.X, it.Y, it.X+it.W, it.Y+it.H, x, y)
				break
			}
		}
		// diagonal: x - y is constant along a line
		if math.Abs(it.W-it.H) > 1e-9 {
			t.Errorf("line not at 45°: %+v", it)
		}
	}
}

// TestClassColors: classes darken from the first to the last, for every
// number of classes a map may have.
func TestClassColors(t *testing.T) {
	lum := func(c Color) float64 { return 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B) }
	for k := 2; k <= 7; k++ {
		for i := 1; i < k; i++ {
			if lum(classColor(i, k)) >= lum(classColor(i-1, k)) {
				t.Errorf("%d classes: class %d is not darker than class %d", k, i, i-1)
			}
		}
	}
}

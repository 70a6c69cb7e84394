// Package geomap holds what aceo's maps are drawn from: the boundaries of
// the ASEAN Member States, China and the countries around them (Natural
// Earth, public domain, embedded), their projection onto the page, and
// the classing of an indicator's values into a choropleth's classes.
package geomap

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
)

//go:embed region.json
var regionJSON []byte

// Point is a position in degrees (X longitude, Y latitude) or, once
// projected, in map units.
type Point struct{ X, Y float64 }

// Shape is one country's outline: its rings (islands), each closed.
type Shape struct {
	Code  string // ISO 3166-1 alpha-3
	Rings [][]Point
}

// Region is the map of the region: the frame it shows and its countries.
type Region struct {
	West, South, East, North float64
	Shapes                   []Shape
	// Source and Licence record where the boundaries come from.
	Source, Licence string
}

var (
	regionOnce sync.Once
	region     *Region
	regionErr  error
)

// Load returns the embedded map of the region, read once.
func Load() (*Region, error) {
	regionOnce.Do(func() { region, regionErr = parse(regionJSON) })
	return region, regionErr
}

func parse(b []byte) (*Region, error) {
	var raw struct {
		Source    string   `json:"source"`
		Licence   string   `json:"licence"`
		Frame     [4]int32 `json:"frame"`
		Countries []struct {
			Code  string    `json:"code"`
			Rings [][]int32 `json:"rings"`
		} `json:"countries"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("read the region's boundaries: %w", err)
	}
	r := &Region{West: float64(raw.Frame[0]) / 100, South: float64(raw.Frame[1]) / 100, East: float64(raw.Frame[2]) / 100, North: float64(raw.Frame[3]) / 100,
		Source: raw.Source, Licence: raw.Licence}
	for _, c := range raw.Countries {
		s := Shape{Code: c.Code}
		for _, flat := range c.Rings {
			var ring []Point
			for i := 0; i+1 < len(flat); i += 2 {
				ring = append(ring, Point{float64(flat[i]) / 100, float64(flat[i+1]) / 100})
			}
			s.Rings = append(s.Rings, ring)
		}
		r.Shapes = append(r.Shapes, s)
	}
	return r, nil
}

// standardParallel is the latitude at which the projection keeps
// distances east-west true (an equirectangular projection for a region
// that spans the tropics and temperate China).
const standardParallel = 20.0

// Size is the frame's width and height in map units (degrees of
// latitude).
func (r *Region) Size() (w, h float64) {
	return (r.East - r.West) * math.Cos(standardParallel*math.Pi/180), r.North - r.South
}

// Project maps a position in degrees to map units from the frame's
// top-left corner, y downwards.
func (r *Region) Project(p Point) Point {
	return Point{(p.X - r.West) * math.Cos(standardParallel*math.Pi/180), r.North - p.Y}
}

// Shape returns the country's shape, or nil.
func (r *Region) Shape(code string) *Shape {
	for i := range r.Shapes {
		if r.Shapes[i].Code == code {
			return &r.Shapes[i]
		}
	}
	return nil
}

// Bounds is the smallest box around a shape, in degrees.
func (s *Shape) Bounds() (min, max Point) {
	min, max = Point{math.Inf(1), math.Inf(1)}, Point{math.Inf(-1), math.Inf(-1)}
	for _, r := range s.Rings {
		for _, p := range r {
			min.X, min.Y = math.Min(min.X, p.X), math.Min(min.Y, p.Y)
			max.X, max.Y = math.Max(max.X, p.X), math.Max(max.Y, p.Y)
		}
	}
	return min, max
}

// LabelAt is where a country's name goes on the map, in degrees: chosen
// by hand inside each country (a centroid can fall outside a country
// shaped like Viet Nam or spread over islands like Indonesia).
var LabelAt = map[string]Point{
	"CHN": {103, 33}, "MMR": {96.2, 21.8}, "LAO": {103.2, 18.6}, "THA": {101, 15.3}, "KHM": {104.9, 12.7},
	"VNM": {106, 21.7}, "MYS": {113.6, 2.4}, "IDN": {113.5, -1.6}, "PHL": {122.6, 12.2},
	"SGP": {103.8, 1.35}, "BRN": {114.7, 4.6},
}

// Small are the countries too small to see at the scale of the region's
// maps: each gets a symbol of its class at its label point.
var Small = map[string]bool{"SGP": true, "BRN": true}

// Quantiles gives the breaks between k classes of equal counts of the
// values (k-1 of them, rising, none repeated: fewer when the values have
// fewer distinct levels).
func Quantiles(values []float64, k int) []float64 {
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	var breaks []float64
	for i := 1; i < k; i++ {
		// the first value of the i-th class, by nearest rank
		idx := int(math.Ceil(float64(i) * float64(len(v)) / float64(k))) // values before it: i/k of them
		if idx <= 0 || idx >= len(v) {
			continue
		}
		b := v[idx]
		if b == v[0] || (len(breaks) > 0 && b <= breaks[len(breaks)-1]) {
			continue
		}
		breaks = append(breaks, b)
	}
	return breaks
}

// Class is the class of value v: 0 below the first break, i from the
// i-th break (inclusive) up to the next.
func Class(v float64, breaks []float64) int {
	return sort.Search(len(breaks), func(i int) bool { return breaks[i] > v })
}

// Legend writes the classes' labels, lowest first: "< 10", "10–25",
// "≥ 25"; with no break, a single class named by lo and hi, the range of
// the values.
func Legend(breaks []float64, decimals int, lo, hi float64) []string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', decimals, 64) }
	if len(breaks) == 0 {
		if lo == hi {
			return []string{f(lo)}
		}
		return []string{f(lo) + "\u2013" + f(hi)}
	}
	out := []string{"< " + f(breaks[0])}
	for i := 1; i < len(breaks); i++ {
		out = append(out, f(breaks[i-1])+"\u2013"+f(breaks[i]))
	}
	return append(out, "\u2265 "+f(breaks[len(breaks)-1]))
}

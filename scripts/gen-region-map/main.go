// Command gen-region-map writes the boundaries aceo's maps draw,
// pipeline/geomap/region.json, from world-atlas's TopoJSON of Natural
// Earth's 1:50m admin-0 countries. Run from the repository root after
// fetching the package:
//
//	npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
//	go run ./scripts/gen-region-map package/countries-50m.json
//
// It keeps the ten ASEAN Member States and China (Taiwan drawn as part of
// China) and, as context, the countries around them clipped to the map's
// frame; drops holes; simplifies each ring (Douglas-Peucker, 0.04°); and
// rounds coordinates to 0.01°.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"math"
	"os"
	"sort"
)

// frame is the part of the globe the region's maps show (degrees).
var frame = [4]float64{72, -12, 142, 54} // west, south, east, north

// numeric maps the ISO 3166-1 numeric codes world-atlas uses to the
// alpha-3 codes of aceo's datasets; data countries are drawn from the
// dataset, the others in grey.
var numeric = map[string]string{
	"096": "BRN", "116": "KHM", "360": "IDN", "418": "LAO", "458": "MYS", "104": "MMR",
	"608": "PHL", "702": "SGP", "764": "THA", "704": "VNM", "156": "CHN", "158": "CHN",
	// context
	"356": "IND", "050": "BGD", "064": "BTN", "524": "NPL", "496": "MNG", "643": "RUS",
	"408": "PRK", "410": "KOR", "392": "JPN", "626": "TLS", "598": "PNG", "036": "AUS",
	"144": "LKA", "398": "KAZ", "417": "KGZ", "762": "TJK", "586": "PAK", "004": "AFG",
}

type topo struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				ID   string          `json:"id"`
				Type string          `json:"type"`
				Arcs json.RawMessage `json:"arcs"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: gen-region-map countries-50m.json")
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	var t topo
	if err := json.Unmarshal(raw, &t); err != nil {
		log.Fatal(err)
	}
	// decode the delta-encoded, quantized arcs
	arcs := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		x, y := 0.0, 0.0
		for _, p := range a {
			x += p[0]
			y += p[1]
			arcs[i] = append(arcs[i], [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]})
		}
	}
	ring := func(idx []int) [][2]float64 {
		var out [][2]float64
		for _, i := range idx {
			a := i
			rev := false
			if i < 0 {
				a, rev = ^i, true
			}
			pts := append([][2]float64(nil), arcs[a]...)
			if rev {
				for l, r := 0, len(pts)-1; l < r; l, r = l+1, r-1 {
					pts[l], pts[r] = pts[r], pts[l]
				}
			}
			if len(out) > 0 {
				pts = pts[1:]
			}
			out = append(out, pts...)
		}
		return out
	}
	shapes := map[string][][][2]float64{}
	for _, g := range t.Objects.Countries.Geometries {
		code := numeric[g.ID]
		if code == "" {
			continue
		}
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				log.Fatal(err)
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				log.Fatal(err)
			}
		}
		for _, p := range polys {
			r := clip(ring(p[0])) // the outer ring; holes dropped
			r = simplify(r, 0.04)
			if len(r) >= 3 && area(r) > 0.002 || (len(r) >= 3 && (code == "SGP" || code == "BRN")) {
				shapes[code] = append(shapes[code], r)
			}
		}
	}
	type country struct {
		Code  string    `json:"code"`
		Rings [][]int32 `json:"rings"` // lon, lat pairs in hundredths of a degree
	}
	out := struct {
		Source  string    `json:"source"`
		Licence string    `json:"licence"`
		Frame   [4]int32  `json:"frame"`
		Shapes  []country `json:"countries"`
	}{
		Source:  "Natural Earth 1:50m admin-0 countries, version 4.1.0, through the npm package world-atlas 2.0.2 (countries-50m.json); simplified (Douglas-Peucker, 0.04 degrees), clipped to the frame, holes dropped; Taiwan drawn as part of China",
		Licence: "Natural Earth: public domain (https://www.naturalearthdata.com/about/terms-of-use/); world-atlas: ISC licence, copyright 2013-2019 Michael Bostock",
	}
	for i, f := range frame {
		out.Frame[i] = int32(math.Round(f * 100))
	}
	codes := make([]string, 0, len(shapes))
	for c := range shapes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	total := 0
	for _, c := range codes {
		co := country{Code: c}
		for _, r := range shapes[c] {
			var flat []int32
			for _, p := range r {
				flat = append(flat, int32(math.Round(p[0]*100)), int32(math.Round(p[1]*100)))
			}
			co.Rings = append(co.Rings, flat)
			total += len(r)
		}
		out.Shapes = append(out.Shapes, co)
	}
	b, err := json.Marshal(out)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("pipeline/geomap/region.json", append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d countries, %d points, %d bytes\n", len(codes), total, len(b))
}

// clip cuts a ring to the frame (Sutherland-Hodgman).
func clip(r [][2]float64) [][2]float64 {
	edges := []struct {
		inside func(p [2]float64) bool
		cut    func(a, b [2]float64) [2]float64
	}{
		{func(p [2]float64) bool { return p[0] >= frame[0] }, func(a, b [2]float64) [2]float64 { return at(a, b, 0, frame[0]) }},
		{func(p [2]float64) bool { return p[0] <= frame[2] }, func(a, b [2]float64) [2]float64 { return at(a, b, 0, frame[2]) }},
		{func(p [2]float64) bool { return p[1] >= frame[1] }, func(a, b [2]float64) [2]float64 { return at(a, b, 1, frame[1]) }},
		{func(p [2]float64) bool { return p[1] <= frame[3] }, func(a, b [2]float64) [2]float64 { return at(a, b, 1, frame[3]) }},
	}
	for _, e := range edges {
		if len(r) == 0 {
			return nil
		}
		var out [][2]float64
		prev := r[len(r)-1]
		for _, p := range r {
			switch {
			case e.inside(p) && !e.inside(prev):
				out = append(out, e.cut(prev, p), p)
			case e.inside(p):
				out = append(out, p)
			case e.inside(prev):
				out = append(out, e.cut(prev, p))
			}
			prev = p
		}
		r = out
	}
	return r
}

// at is the point of segment a-b where coordinate k equals v.
func at(a, b [2]float64, k int, v float64) [2]float64 {
	t := (v - a[k]) / (b[k] - a[k])
	return [2]float64{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}

// simplify drops the points of r closer than tol to the line of their
// neighbours kept (Douglas-Peucker).
func simplify(r [][2]float64, tol float64) [][2]float64 {
	if len(r) < 4 {
		return r
	}
	keep := make([]bool, len(r))
	keep[0], keep[len(r)-1] = true, true
	var rec func(i, j int)
	rec = func(i, j int) {
		best, bi := 0.0, -1
		for k := i + 1; k < j; k++ {
			if d := dist(r[k], r[i], r[j]); d > best {
				best, bi = d, k
			}
		}
		if best > tol {
			keep[bi] = true
			rec(i, bi)
			rec(bi, j)
		}
	}
	// split the closed ring at its farthest point from the first
	far, fd := 0, 0.0
	for k, p := range r {
		if d := math.Hypot(p[0]-r[0][0], p[1]-r[0][1]); d > fd {
			far, fd = k, d
		}
	}
	keep[far] = true
	rec(0, far)
	rec(far, len(r)-1)
	var out [][2]float64
	for k, p := range r {
		if keep[k] {
			out = append(out, p)
		}
	}
	return out
}

func dist(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	if dx == 0 && dy == 0 {
		return math.Hypot(p[0]-a[0], p[1]-a[1])
	}
	return math.Abs(dy*p[0]-dx*p[1]+b[0]*a[1]-b[1]*a[0]) / math.Hypot(dx, dy)
}

func area(r [][2]float64) float64 {
	s := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return math.Abs(s) / 2
}

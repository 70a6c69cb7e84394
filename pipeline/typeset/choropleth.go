package typeset

import (
	"math"
	"sort"

	"github.com/aceo-project/aceo/pipeline/geomap"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// Colours of a map: the sea, the countries around the region, borders,
// the hatching of "no data" and the frame.
var (
	mapSea     = Color{236, 243, 247}
	mapContext = Color{222, 222, 218}
	mapBorder  = Color{255, 255, 255}
	mapHatch   = Color{120, 120, 120}
	mapFrame   = Color{170, 170, 170}
	mapInk     = Color{45, 45, 45}
)

// mapScale is the sequential scale classes are coloured from, light to
// dark (ColorBrewer's YlGn, which reads in print and in grey, and stands
// apart from the grey of the countries around the region).
var mapScale = []Color{{255, 255, 204}, {194, 230, 153}, {120, 198, 121}, {49, 163, 84}, {0, 104, 55}}

// classColor is the colour of class i of k, sampled evenly along the
// scale.
func classColor(i, k int) Color {
	t := 0.0
	if k > 1 {
		t = float64(i) / float64(k-1)
	}
	pos := t * float64(len(mapScale)-1)
	j := min(int(pos), len(mapScale)-2)
	f := pos - float64(j)
	a, b := mapScale[j], mapScale[j+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + f*(float64(y)-float64(x)))) }
	return Color{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B)}
}

// hatchStep is the distance between the lines that hatch "no data".
const hatchStep = 2.6

// choropleth lays out a map of the region, each country of the chart
// coloured by its class, no data hatched, the countries too small to see
// marked by a symbol of their class, with a classed legend below: its
// height and how to draw it.
func (e *engine) choropleth(cc *chartCtx) (h float64, draw func(p *Page, x, y float64)) {
	c, bx, size := cc.c, cc.bx, cc.size
	reg, err := geomap.Load()
	if err != nil {
		panic(err) // the embedded boundaries are part of the program
	}
	w, ht := reg.Size()
	scale := math.Min(bx.measure/w, (e.bottom-e.top)*0.5/ht)
	mw, mh := w*scale, ht*scale
	k := len(c.Legend)
	class := map[string]int{}
	names := map[string]string{}
	for i, code := range c.Codes {
		class[code] = c.Classes[i]
		names[code] = c.Categories[i]
	}
	legendH := size*1.4 + 14 + 6
	h = mh + 8 + legendH
	draw = func(p *Page, x, y float64) {
		x += bx.indent + (bx.measure-mw)/2
		proj := func(pt geomap.Point) (float64, float64) {
			q := reg.Project(pt)
			return x + q.X*scale, y + q.Y*scale
		}
		ring := func(r []geomap.Point) []float64 {
			pts := make([]float64, 0, 2*len(r))
			for _, pt := range r {
				px, py := proj(pt)
				pts = append(pts, px, py)
			}
			return pts
		}
		p.rect(x, y, mw, mh, mapSea)
		// the countries around the region, then the region's
		for pass := 0; pass < 2; pass++ {
			for _, s := range reg.Shapes {
				cl, data := class[s.Code]
				if data != (pass == 1) {
					continue
				}
				for _, r := range s.Rings {
					pts := ring(r)
					switch {
					case !data:
						p.Items = append(p.Items, Item{Kind: PolyItem, Points: pts, Color: mapContext, Stroke: mapBorder, LW: 0.4})
					case cl < 0:
						// white, hatched, then outlined over the hatching
						p.Items = append(p.Items, Item{Kind: PolyItem, Points: pts, Color: Color{255, 255, 255}})
						hatch(p, pts)
						p.Items = append(p.Items, Item{Kind: OutlineItem, Points: pts, Color: mapBorder, LW: 0.4})
					default:
						p.Items = append(p.Items, Item{Kind: PolyItem, Points: pts, Color: classColor(cl, k), Stroke: mapBorder, LW: 0.4})
					}
				}
			}
		}
		e.mapLabels(p, c, reg, proj, class, names, size)
		for _, side := range [][4]float64{{x, y, x + mw, y}, {x + mw, y, x + mw, y + mh}, {x, y + mh, x + mw, y + mh}, {x, y, x, y + mh}} {
			p.rule(side[0], side[1], side[2], side[3], 0.5, mapFrame)
		}
		e.mapLegend(p, c, x, y+mh+8, mw, size)
	}
	return h, draw
}

// mapLabels names the region's countries at their label points, and
// marks those too small to see with a circle of their class.
func (e *engine) mapLabels(p *Page, c *ms.Chart, reg *geomap.Region, proj func(geomap.Point) (float64, float64), class map[string]int, names map[string]string, size float64) {
	k := len(c.Legend)
	codes := make([]string, 0, len(names))
	for code := range names {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	ls := size * 0.92
	for _, code := range codes {
		at, ok := geomap.LabelAt[code]
		if !ok {
			continue
		}
		px, py := proj(at)
		cl := class[code]
		ink := mapInk
		if cl >= 0 && k > 1 && float64(cl)/float64(k-1) > 0.8 {
			ink = Color{255, 255, 255}
		}
		lines := e.textLines(names[code], "sans", ls, ink, 80)
		if len(lines) == 0 {
			continue
		}
		ln := lines[0]
		if geomap.Small[code] {
			// a circle of the country's class, its name beside it in ink
			r := 3.2
			fill := Color{255, 255, 255}
			if cl >= 0 {
				fill = classColor(cl, k)
			}
			circle := make([]float64, 0, 32)
			for i := 0; i < 16; i++ {
				a := float64(i) * math.Pi / 8
				circle = append(circle, px+r*math.Cos(a), py+r*math.Sin(a))
			}
			p.Items = append(p.Items, Item{Kind: PolyItem, Points: circle, Color: fill})
			if cl < 0 {
				hatch(p, circle)
			}
			p.Items = append(p.Items, Item{Kind: OutlineItem, Points: circle, Color: mapInk, LW: 0.6})
			dark := e.textLines(names[code], "sans", ls, mapInk, 80)
			dy := ls * 0.35
			if code == "SGP" {
				dy = ls * 1.3 // below the point: Malaysia's name is above
			}
			drawLine(p, dark[0], px+r+2, py+dy, alignLeft)
			continue
		}
		drawLine(p, ln, px-ln.natural/2, py+ls*0.35, alignLeft)
	}
}

// mapLegend draws the legend under a map: its title (the unit and year),
// then a swatch and a label for each class, lowest first, and the hatched
// swatch of "no data" when a country has none.
func (e *engine) mapLegend(p *Page, c *ms.Chart, x, y, w, size float64) {
	title := e.textLines(c.Title, "sans-bold", size, mapInk, w)
	if len(title) > 0 {
		drawLine(p, title[0], x, y+size, alignLeft)
	}
	y += size*1.4 + 4
	k := len(c.Legend)
	sw, sh := 14.0, 8.0
	cx := x
	entry := func(label string, fill Color, hatched bool) {
		box := []float64{cx, y, cx + sw, y, cx + sw, y + sh, cx, y + sh}
		p.Items = append(p.Items, Item{Kind: PolyItem, Points: box, Color: fill})
		if hatched {
			hatch(p, box)
		}
		p.Items = append(p.Items, Item{Kind: OutlineItem, Points: box, Color: mapFrame, LW: 0.4})
		ls := e.textLines(label, "sans", size, mapInk, w)
		if len(ls) > 0 {
			drawLine(p, ls[0], cx+sw+3, y+sh*0.5+size*0.35, alignLeft)
			cx += sw + 3 + ls[0].natural + 10
		}
	}
	for i, l := range c.Legend {
		entry(l, classColor(i, k), false)
	}
	for _, cl := range c.Classes {
		if cl < 0 {
			entry(e.t.Label(e.lang, "map_no_data"), Color{255, 255, 255}, true)
			break
		}
	}
}

// hatch draws diagonal lines across the polygon pts (x, y pairs), inside
// it only: each line is cut where it crosses the outline, and its pieces
// inside kept (even-odd).
func hatch(p *Page, pts []float64) {
	n := len(pts) / 2
	if n < 3 {
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < n; i++ {
		d := pts[2*i] - pts[2*i+1]
		lo, hi = math.Min(lo, d), math.Max(hi, d)
	}
	start := math.Ceil(lo/hatchStep) * hatchStep
	for c := start; c <= hi; c += hatchStep {
		type cut struct{ x, y float64 }
		var cuts []cut
		for i := 0; i < n; i++ {
			ax, ay := pts[2*i], pts[2*i+1]
			j := (i + 1) % n
			bx, by := pts[2*j], pts[2*j+1]
			da, db := ax-ay-c, bx-by-c
			if (da < 0) == (db < 0) {
				continue
			}
			t := da / (da - db)
			cuts = append(cuts, cut{ax + t*(bx-ax), ay + t*(by-ay)})
		}
		sort.Slice(cuts, func(a, b int) bool { return cuts[a].x < cuts[b].x })
		for i := 0; i+1 < len(cuts); i += 2 {
			a, b := cuts[i], cuts[i+1]
			p.rule(a.x, a.y, b.x, b.y, 0.35, mapHatch)
		}
	}
}

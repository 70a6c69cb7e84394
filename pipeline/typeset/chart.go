package typeset

import (
	"math"
	"sort"
	"strconv"

	ms "github.com/aceo-project/aceo/pipeline/manuscript"
)

// palette is Okabe and Ito's, safe for colour-blind readers; in
// greyscale, lines are told apart by their dashes and markers too.
var palette = []Color{
	{0, 114, 178},   // blue
	{213, 94, 0},    // vermillion
	{0, 158, 115},   // bluish green
	{230, 159, 0},   // orange
	{204, 121, 167}, // reddish purple
	{86, 180, 233},  // sky blue
	{0, 0, 0},       // black
}

var dashes = [][]float64{nil, {4, 2}, {1, 1.5}}

// niceScale returns axis bounds and a tick step covering lo..hi.
func niceScale(lo, hi float64) (float64, float64, float64) {
	if lo > 0 {
		lo = 0
	}
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step, step
}

func tickLabel(v, step float64) string {
	dec := 0
	if step < 1 {
		dec = int(math.Ceil(-math.Log10(step)))
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	return s
}

// marker draws a small symbol of shape k centred on x, y.
func marker(p *Page, k int, x, y float64, c Color) {
	r := 2.2
	switch k % 4 {
	case 0: // circle, as an octagon
		var pts []float64
		for i := 0; i < 8; i++ {
			a := float64(i) * math.Pi / 4
			pts = append(pts, x+r*math.Cos(a), y+r*math.Sin(a))
		}
		p.Items = append(p.Items, Item{Kind: PolyItem, Points: pts, Color: c})
	case 1: // square
		p.rect(x-r*0.85, y-r*0.85, 1.7*r, 1.7*r, c)
	case 2: // triangle
		p.Items = append(p.Items, Item{Kind: PolyItem, Points: []float64{x, y - r, x + r, y + r*0.8, x - r, y + r*0.8}, Color: c})
	default: // diamond
		p.Items = append(p.Items, Item{Kind: PolyItem, Points: []float64{x, y - r, x + r, y, x, y + r, x - r, y}, Color: c})
	}
}

// chart lays out a chart made from a dataset as vector graphics, with
// its caption below as for figures.
func (e *engine) chart(c *ms.Chart, bx box) []*vitem {
	dest := c.Label
	if dest == "" {
		dest = "fig#" + c.Number
	}
	e.figures = append(e.figures, listEntry{number: c.Number, title: ms.PlainText(c.Caption), dest: dest})
	size := e.t.Sizes.Caption - 0.5
	text := e.t.Color("text")
	cc := &chartCtx{c: c, bx: bx, size: size, grid: e.t.Color("rule"), label: func(s string, role string) line {
		ls := e.textLines(s, role, size, text, bx.measure)
		if len(ls) == 0 {
			return line{}
		}
		return ls[0]
	}}
	var h float64
	var draw func(p *Page, x, y float64)
	switch c.Kind {
	case "bar":
		h, draw = cc.bars()
	case "map":
		h, draw = e.choropleth(cc)
	default:
		h, draw = cc.lines()
	}
	it := &vitem{h: h + 8, before: e.paraSpace() + 8, keep: true, dests: []string{dest}}
	it.draw = func(p *Page, x, y float64) { draw(p, x, y+4) }
	items := []*vitem{it}
	caps := e.caption("figure", c.Number, c.Caption, bx)
	capItems := e.paraLines(caps, bx.indent, 0, e.t.Sizes.Caption*1.35, 2, alignLeft, nil)
	for _, ci := range capItems[:len(capItems)-1] {
		ci.keep = true
	}
	items = append(items, capItems...)
	for _, n := range c.Notes {
		ls := e.raggedLines(e.pieces(n, e.sansStyle(e.t.Sizes.Caption-1)), bx.measure)
		items[len(items)-1].keep = true
		items = append(items, e.paraLines(ls, bx.indent, 0, (e.t.Sizes.Caption-1)*1.35, 0, alignLeft, nil)...)
	}
	items[len(items)-1].h += e.paraSpace()
	return items
}

// chartCtx is what drawing a chart needs: the chart, its box, the size of
// its labels, the grid's colour, and a label set as one line.
type chartCtx struct {
	c     *ms.Chart
	bx    box
	size  float64
	grid  Color
	label func(s, role string) line
}

// bars lays out a bar chart, bars sorted by value, missing values last:
// its height and how to draw it.
func (cc *chartCtx) bars() (h float64, draw func(p *Page, x, y float64)) {
	c, bx, size, grid, label := cc.c, cc.bx, cc.size, cc.grid, cc.label
	type bar struct {
		name    string
		v       float64
		missing bool
	}
	var bars []bar
	hi := 0.0
	for i, n := range c.Categories {
		b := bar{n, c.Series[0].Values[i], c.Series[0].Missing[i]}
		bars = append(bars, b)
		if !b.missing {
			hi = math.Max(hi, b.v)
		}
	}
	sort.SliceStable(bars, func(i, j int) bool {
		if bars[i].missing != bars[j].missing {
			return !bars[i].missing
		}
		return bars[i].v > bars[j].v
	})
	nameW := 0.0
	for _, b := range bars {
		nameW = math.Max(nameW, label(b.name, "sans").natural)
	}
	nameW += 6
	lo, top, step := niceScale(0, hi)
	rowH := 13.0
	h = float64(len(bars))*rowH + 24
	plotW := bx.measure - nameW - 30
	draw = func(p *Page, x, y float64) {
		x += bx.indent
		px := x + nameW
		scale := plotW / (top - lo)
		for t := lo; t <= top+step/2; t += step {
			gx := px + (t-lo)*scale
			p.rule(gx, y, gx, y+float64(len(bars))*rowH, 0.3, grid)
			l := label(tickLabel(t, step), "sans")
			drawLine(p, l, gx-l.natural/2, y+float64(len(bars))*rowH+size+3, alignLeft)
		}
		for i, b := range bars {
			by := y + float64(i)*rowH
			l := label(b.name, "sans")
			drawLine(p, l, px-6-l.natural, by+rowH/2+size*0.35, alignLeft)
			if b.missing {
				drawLine(p, label("..", "sans"), px+3, by+rowH/2+size*0.35, alignLeft)
				continue
			}
			w := (b.v - lo) * scale
			p.rect(px, by+2.5, w, rowH-5, palette[0])
			v := label(strconv.FormatFloat(b.v, 'f', c.Decimals, 64), "sans") // as tables print it
			drawLine(p, v, px+w+3, by+rowH/2+size*0.35, alignLeft)
		}
		u := label(c.Unit, "sans")
		drawLine(p, u, px+plotW-u.natural, y+float64(len(bars))*rowH+2*size+6, alignLeft)
	}
	return h, draw
}

// lines lays out a line chart, a series per line with a legend under the
// plot: its height and how to draw it.
func (cc *chartCtx) lines() (h float64, draw func(p *Page, x, y float64)) {
	c, bx, size, grid, label := cc.c, cc.bx, cc.size, cc.grid, cc.label
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for i, v := range s.Values {
			if !s.Missing[i] {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	lo, top, step := niceScale(lo, hi)
	plotH := bx.measure * 0.42
	axisW := 32.0
	// legend: entries in rows under the plot
	entryW := 0.0
	for _, s := range c.Series {
		entryW = math.Max(entryW, label(s.Name, "sans").natural+24)
	}
	perRow := int(math.Max(1, math.Floor(bx.measure/entryW)))
	legendRows := (len(c.Series) + perRow - 1) / perRow
	h = plotH + 22 + float64(legendRows)*12
	xs := make([]float64, len(c.X))
	x0, x1 := 0.0, 1.0
	for i, s := range c.X {
		v, _ := strconv.ParseFloat(s, 64)
		xs[i] = v
	}
	if len(xs) > 1 {
		x0, x1 = xs[0], xs[len(xs)-1]
	}
	draw = func(p *Page, x, y float64) {
		x += bx.indent
		// room on the right for half the last axis label
		right := 8.0
		if len(c.X) > 0 {
			right = math.Max(right, label(c.X[len(c.X)-1], "sans").natural/2+2)
		}
		px, pw := x+axisW, bx.measure-axisW-right
		sy := func(v float64) float64 { return y + plotH - (v-lo)/(top-lo)*plotH }
		sx := func(v float64) float64 {
			if x1 == x0 {
				return px + pw/2
			}
			return px + (v-x0)/(x1-x0)*pw
		}
		for t := lo; t <= top+step/2; t += step {
			gy := sy(t)
			p.rule(px, gy, px+pw, gy, 0.3, grid)
			l := label(tickLabel(t, step), "sans")
			drawLine(p, l, px-4-l.natural, gy+size*0.35, alignLeft)
		}
		for i, s := range c.X {
			l := label(s, "sans")
			drawLine(p, l, sx(xs[i])-l.natural/2, y+plotH+size+3, alignLeft)
		}
		u := label(c.Unit, "sans")
		drawLine(p, u, px, y-3, alignLeft)
		for k, s := range c.Series {
			col := palette[k%len(palette)]
			dash := dashes[(k/len(palette)+k)%len(dashes)]
			for i := 1; i < len(s.Values); i++ {
				if s.Missing[i] || s.Missing[i-1] {
					continue
				}
				p.Items = append(p.Items, Item{Kind: RuleItem, X: sx(xs[i-1]), Y: sy(s.Values[i-1]), W: sx(xs[i]) - sx(xs[i-1]), H: sy(s.Values[i]) - sy(s.Values[i-1]), LW: 1.1, Color: col, Dash: dash})
			}
			for i, v := range s.Values {
				if !s.Missing[i] {
					marker(p, k, sx(xs[i]), sy(v), col)
				}
			}
			// legend entry
			lx := x + float64(k%perRow)*entryW
			ly := y + plotH + 22 + float64(k/perRow)*12
			p.Items = append(p.Items, Item{Kind: RuleItem, X: lx, Y: ly - 3, W: 14, LW: 1.1, Color: col, Dash: dash})
			marker(p, k, lx+7, ly-3, col)
			drawLine(p, label(s.Name, "sans"), lx+18, ly, alignLeft)
		}
	}
	return h, draw
}

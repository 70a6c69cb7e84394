package typeset

import "math"

// line is one set line: its elements (break glue removed) and the
// adjustment ratio that justification applies to its glue.
type line struct {
	elems   []elem
	ratio   float64
	natural float64
	target  float64
	last    bool  // last line of the paragraph, or ends at a forced break
	hyphen  *elem // the discretionary hyphen the line ends with, if any
}

// Demerits of hyphenation, in the sense of TeX: a hyphenated line costs as
// much as a fairly loose one, and two in a row cost more.
const (
	hyphenDemerits       = 50 * 50
	doubleHyphenDemerits = 3000
)

// splitWide breaks boxes wider than measure into pieces that fit, with a
// break point between them, so that a long URL or a narrow table column
// never overflows the text area.
func splitWide(el []elem, measure float64) []elem {
	wide := false
	for i := range el {
		wide = wide || (el[i].kind == eBox && el[i].w > measure && el[i].face != nil)
	}
	if !wide {
		return el
	}
	var out []elem
	for _, e := range el {
		if e.kind != eBox || e.w <= measure || e.face == nil {
			out = append(out, e)
			continue
		}
		start, w := 0, 0.0
		for i, r := range e.text {
			cw := e.face.Advance(r) * e.size / 1000
			if w+cw > measure && i > start {
				part := e
				part.text, part.w, part.off = e.text[start:i], w, e.off+int32(start)
				out = append(out, part, elem{kind: ePenalty})
				start, w = i, 0
			}
			w += cw
		}
		part := e
		part.text, part.w, part.off = e.text[start:], w, e.off+int32(start)
		out = append(out, part)
	}
	return out
}

// breakLines chooses line breaks for a paragraph by total fit over all its
// break points (Knuth and Plass, without hyphenation): it minimises the sum
// of squared badness of the lines, so that spaces are stretched evenly
// instead of leaving one very loose line. The first line is indent shorter.
func (sc *scratch) breakLines(el []elem, measure, indent float64, ragged bool) []line {
	el = splitWide(el, measure-indent)
	n := len(el)
	if n == 0 {
		return nil
	}
	// prefix sums
	W := grow(&sc.w, n+1)
	Y := grow(&sc.y, n+1)
	Z := grow(&sc.z, n+1)
	W[0], Y[0], Z[0] = 0, 0, 0
	for i, e := range el {
		W[i+1], Y[i+1], Z[i+1] = W[i], Y[i], Z[i]
		if e.kind == eBox || e.kind == eGlue {
			W[i+1] += e.w
		}
		if e.kind == eGlue {
			Y[i+1] += e.stretch
			Z[i+1] += e.shrink
		}
	}
	// break points: -1 (start), glue and penalties, n (end)
	bps := append(sc.bps[:0], -1)
	for i, e := range el {
		if e.kind != eBox && !e.nobreak {
			bps = append(bps, i)
		}
	}
	bps = append(bps, n)
	sc.bps = bps
	if ragged {
		return sc.firstFit(el, bps, W, measure, indent)
	}
	best := grow(&sc.best, len(bps))
	from := growInt(&sc.from, len(bps))
	ratio := grow(&sc.ratio, len(bps))
	for k := range best {
		best[k] = math.Inf(1)
	}
	best[0] = 0
	for j := 1; j < len(bps); j++ {
		b := bps[j]
		final := b == n || el[b].forced
		found := false
		for i := j - 1; i >= 0; i-- {
			if math.IsInf(best[i], 1) {
				continue
			}
			a := bps[i]
			target := measure
			if a < 0 {
				target -= indent
			}
			nat := W[b] - W[a+1]
			if !final && el[b].hyphen {
				nat += el[b].w
			}
			st, sh := Y[b]-Y[a+1], Z[b]-Z[a+1]
			var r, bad float64
			switch {
			case nat > target:
				if sh <= 0 {
					r = math.Inf(-1)
				} else {
					r = (target - nat) / sh
				}
				if r < -1 {
					if !found && i == j-1 {
						// one unbreakable item wider than the line: take it
						bad = 1e6
						r = -1
						break
					}
					goto stop
				}
				bad = -100 * r * r * r
			case final:
				r = 0
			case st <= 0:
				r, bad = 0, 1e5
			default:
				r = (target - nat) / st
				bad = 100 * r * r * r
				if bad > 1e5 {
					bad = 1e5
				}
			}
			{
				d := (10 + bad) * (10 + bad)
				if !final && el[b].hyphen {
					d += hyphenDemerits
					if a >= 0 && el[a].hyphen {
						d += doubleHyphenDemerits
					}
				}
				if c := best[i] + d; c < best[j] {
					best[j], from[j], ratio[j] = c, i, r
					found = true
				}
			}
			if a >= 0 && el[a].forced {
				break // a line cannot run across a forced break
			}
			continue
		stop:
			break
		}
		if !found && !final {
			continue
		}
		if !found {
			// nothing fits: break right before
			best[j], from[j], ratio[j] = best[j-1]+1e12, j-1, 0
			if math.IsInf(best[j-1], 1) {
				best[j] = 1e15
			}
		}
	}
	return sc.collect(el, bps, W, from, ratio, measure, indent)
}

// firstFit breaks ragged text (table cells, captions, headings): each line
// takes as much as fits, as a reader of unjustified text expects; total fit
// would even out line lengths and leave a short word alone on a line.
func (sc *scratch) firstFit(el []elem, bps []int, W []float64, measure, indent float64) []line {
	n := len(el)
	from := growInt(&sc.from, len(bps))
	ratio := grow(&sc.ratio, len(bps))
	start, last := 0, -1
	for j := 1; j < len(bps); j++ {
		a, b := bps[start], bps[j]
		if b < n && el[b].hyphen {
			continue // ragged text is not hyphenated
		}
		target := measure
		if a < 0 {
			target -= indent
		}
		if W[b]-W[a+1] <= target+0.01 || last < 0 {
			last = j
			if b == n || el[b].forced {
				from[j], ratio[j] = start, 0
				start, last = j, -1
			}
			continue
		}
		from[last], ratio[last] = start, 0
		start, last = last, -1
		j-- // set j again from the new line start
	}
	return sc.collect(el, bps, W, from, ratio, measure, indent)
}

// collect turns the chosen break points, followed back from the end, into
// lines.
func (sc *scratch) collect(el []elem, bps []int, W []float64, from []int, ratio []float64, measure, indent float64) []line {
	n := len(el)
	ends := sc.ends[:0]
	for j := len(bps) - 1; j > 0; j = from[j] {
		ends = append(ends, j)
		if from[j] == j {
			break
		}
	}
	sc.ends = ends
	lines := make([]line, 0, len(ends))
	for k := len(ends) - 1; k >= 0; k-- {
		j := ends[k]
		a, b := bps[from[j]], bps[j]
		seg := el[a+1 : b]
		target := measure
		if a < 0 {
			target -= indent
		}
		ln := line{elems: seg, ratio: ratio[j], natural: W[b] - W[a+1], target: target, last: b == n || el[b].forced}
		if b < n && el[b].hyphen {
			ln.hyphen = &el[b]
			ln.natural += el[b].w
		}
		lines = append(lines, ln)
	}
	return lines
}

// scratch holds buffers that shaping and line breaking reuse from one
// paragraph to the next. One engine (one edition) owns one scratch.
type scratch struct {
	w, y, z, best, ratio []float64
	bps, from, ends      []int
	opp                  []bool
}

// grow returns (*buf)[:n], reallocating when it is too small. The
// contents are not cleared.
func grow(buf *[]float64, n int) []float64 {
	if cap(*buf) < n {
		*buf = make([]float64, n, n+n/2)
	}
	return (*buf)[:n]
}

func growInt(buf *[]int, n int) []int {
	if cap(*buf) < n {
		*buf = make([]int, n, n+n/2)
	}
	return (*buf)[:n]
}

package typeset

import (
	"math"
	"strings"
)

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
// much as a fairly loose one, two in a row cost more, and so does a
// hyphen on the line before a paragraph's last. No more than maxHyphenRun
// lines in a row end in a hyphen, and a paragraph's last line is never
// the end of a hyphenated word alone ("re-/ports.").
const (
	hyphenDemerits       = 500 * 500
	doubleHyphenDemerits = 3000
	finalHyphenDemerits  = 5000
	maxHyphenRun         = 2
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
	G := growInt(&sc.g, n+1) // spaces before each element
	W[0], Y[0], Z[0], G[0] = 0, 0, 0, 0
	for i, e := range el {
		W[i+1], Y[i+1], Z[i+1], G[i+1] = W[i], Y[i], Z[i], G[i]
		if e.kind == eBox || e.kind == eGlue {
			W[i+1] += e.w
		}
		if e.kind == eGlue {
			Y[i+1] += e.stretch
			Z[i+1] += e.shrink
			G[i+1]++
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
	// states: a break point with the number of hyphenated lines in a row
	// that end at it (0 to maxHyphenRun), so that the limit on runs never
	// hides a better path through the same break
	const S = maxHyphenRun + 1
	best := grow(&sc.best, len(bps)*S)
	from := growInt(&sc.from, len(bps)*S)
	ratio := grow(&sc.ratio, len(bps)*S)
	for k := range best {
		best[k] = math.Inf(1)
	}
	best[0] = 0
	for j := 1; j < len(bps); j++ {
		b := bps[j]
		final := b == n || el[b].forced
		hyph := !final && el[b].hyphen
		found := false
		for i := j - 1; i >= 0; i-- {
			reachable := false
			for s := 0; s < S; s++ {
				reachable = reachable || !math.IsInf(best[i*S+s], 1)
			}
			if !reachable {
				continue
			}
			a := bps[i]
			r, bad, ok := sc.fit(el, W, Y, Z, a, b, final, measure, indent, !found && i == j-1)
			if !ok {
				break // the line would be too long, and longer from earlier breaks
			}
			d := (10 + bad) * (10 + bad)
			if hyph {
				d += hyphenDemerits
			}
			for s := 0; s < S; s++ {
				prev := best[i*S+s]
				if math.IsInf(prev, 1) {
					continue
				}
				ns, c := 0, prev+d
				if hyph {
					if ns = s + 1; ns > maxHyphenRun {
						continue // a third hyphenated line in a row
					}
					if s > 0 {
						c += doubleHyphenDemerits
					}
				}
				if b == n && (s > 0 || afterHyphen(el, a)) {
					if G[b] == G[a+1] {
						continue // the last line would be the end of a hyphenated word alone
					}
					if s > 0 {
						c += finalHyphenDemerits
					}
				}
				if k := j*S + ns; c < best[k] {
					best[k], from[k], ratio[k] = c, i*S+s, r
					found = true
				}
			}
			if a >= 0 && el[a].forced {
				break // a line cannot run across a forced break
			}
		}
		if !found && final {
			// nothing fits: break right before
			k, c := (j-1)*S, math.Inf(1)
			for s := 0; s < S; s++ {
				if best[(j-1)*S+s] < c {
					k, c = (j-1)*S+s, best[(j-1)*S+s]
				}
			}
			if math.IsInf(c, 1) {
				c = 1e15
			}
			best[j*S], from[j*S], ratio[j*S] = c+1e12, k, 0
		}
	}
	pathFrom, pathRatio := sc.path(best, from, ratio, len(bps), S)
	return sc.collect(el, bps, W, pathFrom, pathRatio, measure, indent)
}

// path follows the best state at the last of nb break points back to the
// start: the break each chosen line starts after, and its ratio, by break.
func (sc *scratch) path(best []float64, from []int, ratio []float64, nb, S int) ([]int, []float64) {
	last := nb - 1
	k := last * S
	for s := 1; s < S; s++ {
		if best[last*S+s] < best[k] {
			k = last*S + s
		}
	}
	pathFrom := growInt(&sc.pathFrom, nb)
	pathRatio := grow(&sc.pathRatio, nb)
	for k/S > 0 {
		j, i := k/S, from[k]/S
		pathFrom[j], pathRatio[j] = i, ratio[k]
		if i == j {
			break
		}
		k = from[k]
	}
	return pathFrom, pathRatio
}

// fit is the adjustment ratio and badness of a line from after break a
// to break b: ok is false when it is too long to set, unless it is one
// item wider than the line (alone), which is taken as it is.
func (sc *scratch) fit(el []elem, W, Y, Z []float64, a, b int, final bool, measure, indent float64, alone bool) (r, bad float64, ok bool) {
	target := measure
	if a < 0 {
		target -= indent
	}
	nat := W[b] - W[a+1]
	if !final && el[b].hyphen {
		nat += el[b].w
	}
	st, sh := Y[b]-Y[a+1], Z[b]-Z[a+1]
	switch {
	case nat > target:
		if sh <= 0 {
			r = math.Inf(-1)
		} else {
			r = (target - nat) / sh
		}
		if r < -1 {
			if alone {
				return -1, 1e6, true // one unbreakable item wider than the line: take it
			}
			return 0, 0, false
		}
		return r, -100 * r * r * r, true
	case final:
		return 0, 0, true
	case st <= 0:
		return 0, 1e5, true
	}
	r = (target - nat) / st
	return r, math.Min(100*r*r*r, 1e5), true
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
	bps, from, ends, g   []int
	pathFrom             []int
	pathRatio            []float64
	opp                  []bool
	elems                []elem // shape's working list
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

// afterHyphen reports whether break a follows a word's own hyphen
// ("north-|east"): a break there leaves the end of the word for the next
// line, as a hyphenation does.
func afterHyphen(el []elem, a int) bool {
	if a <= 0 || el[a].kind != ePenalty || el[a].hyphen {
		return false
	}
	prev := el[a-1]
	return prev.kind == eBox && strings.HasSuffix(prev.text, "-")
}

package typeset

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/hyphen"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/rivo/uniseg"
)

type elemKind uint8

const (
	eBox     elemKind = iota
	eGlue             // breakable space; disappears at a line break
	ePenalty          // zero-width break opportunity
)

// elem is an item of a paragraph's horizontal list, in the sense of TeX:
// boxes of text, glue that stretches and shrinks, and break points.
type elem struct {
	kind    elemKind
	forced  bool // a penalty that must break (hard line break)
	cjk     bool // glue between Chinese characters: justification space
	nobreak bool // glue that is not a break point
	hyphen  bool // a penalty where a word may be hyphenated; w is the hyphen's width
	color   Color
	off     int32   // byte offset of text in *para
	text    string  // a substring of *para
	para    *string // the paragraph's text
	face    *Face
	note    *footnote
	link    string
	mark    string // the index mark at the start of this box, if any
	size    float64
	rise    float64
	w       float64
	stretch float64
	shrink  float64
	// trimL, trimR: the blank half of a full-width punctuation mark taken
	// off its left or right side (punctuation compression), in points; w
	// is already the narrower width
	trimL, trimR float64
}

// piece is a run of text in one style, the input of shaping.
type piece struct {
	text    string
	stack   *Stack
	size    float64
	color   Color
	link    string
	rise    float64
	note    *footnote
	noBreak bool   // no break before this piece (footnote marks)
	mark    string // the destination of an index mark at the piece's start
}

// Characters that may not start a line (closing punctuation) and that may
// not end one (opening punctuation), for Chinese.
func noStart(r rune) bool {
	switch r {
	case '，', '。', '、', '；', '：', '？', '！', '）', '」', '』', '”', '’', '》', '〉', '】', '〕', '…', '‥', '·', '％', '．', '〜', '～', ',', '.', ';', ':', '?', '!', ')', ']', '}', '%':
		return true
	}
	return false
}

func noEnd(r rune) bool {
	switch r {
	case '（', '「', '『', '“', '‘', '《', '〈', '【', '〔', '(', '[', '{':
		return true
	}
	return false
}

// isWide reports whether r is set on the Chinese character grid.
var isWide = ms.IsWide

// cjkish is true for characters that take part in the Chinese grid in a
// Chinese edition: Chinese characters, full-width punctuation and the curly
// quotes, ellipsis, dash and middle dot.
func cjkish(r rune) bool {
	return isWide(r) || r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—' || r == '·'
}

// isLatinAlnum is true for the characters a Chinese character is spaced
// from by a quarter em: Latin letters, digits, and the signs that follow
// numbers (38%, 25°).
func isLatinAlnum(r rune) bool {
	return r < 0x2000 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '%' || r == '°') && !isWide(r)
}

// missingFunc is told about characters no font of a stack covers.
type missingFunc func(r rune)

// shape turns styled pieces into the horizontal list: it picks a face for
// every character, finds the break opportunities (UAX #14 plus the Chinese
// rules) and, in Chinese (zh), adds a quarter-em space between Chinese and
// Latin letters or digits.
func (sc *scratch) shape(pieces []piece, zh bool, missing missingFunc) []elem {
	total := 0
	for _, p := range pieces {
		total += len(p.text)
	}
	var sb strings.Builder
	sb.Grow(total)
	for _, p := range pieces {
		sb.WriteString(p.text)
	}
	full := sb.String()
	// about two elements per character in Chinese, one per word and space
	// in English
	n := utf8.RuneCountInString(full)
	if zh {
		n *= 2
	} else {
		n /= 2
	}
	if cap(sc.elems) < n+8 {
		sc.elems = make([]elem, 0, n+8)
	}
	sh := &shaper{full: full, para: &full, zh: zh, out: sc.elems[:0], opp: sc.breaks(full), boxStart: -1}
	var prev rune // previous non-space rune
	spacePending := false
	for pi := range pieces {
		p := &pieces[pi]
		mark := p.mark // on the piece's first box
		pend := sh.off + len(p.text)
		for sh.off < pend {
			r, n := utf8.DecodeRuneInString(full[sh.off:])
			switch {
			case r == '\n':
				sh.flush()
				sh.out = append(sh.out, elem{kind: ePenalty, forced: true})
				prev, spacePending = 0, false
				sh.off += n
				continue
			case r == ' ' || r == '\t':
				sh.flush()
				spacePending = true
				sh.off += n
				continue
			case r == '\u00a0' && zh:
				// a no-break space in Chinese ("表\u00a03.2"): a fixed
				// quarter em that never breaks
				sh.flush()
				sh.out = append(sh.out, elem{kind: eBox, w: 0.25 * p.size, size: p.size})
				prev = 0
				sh.off += n
				continue
			}
			face, ok := p.stack.FaceFor(r)
			if !ok && missing != nil {
				missing(r)
			}
			if prev != 0 {
				sh.join(p, face, prev, r, spacePending)
			}
			spacePending = false
			if sh.cur != nil && (sh.cur.face != face) {
				sh.flush()
			}
			if sh.cur == nil {
				sh.box = elem{kind: eBox, face: face, size: p.size, color: p.color, link: p.link, rise: p.rise, note: p.note}
				sh.cur = &sh.box
				sh.cur.mark, mark = mark, ""
				sh.boxStart = sh.off
			}
			sh.cur.w += face.Advance(r) * p.size / 1000
			prev = r
			sh.off += n
		}
		sh.flush()
	}
	sh.flush()
	if zh {
		compressPunct(sh.out)
	}
	// the elements are built in the scratch buffer and copied out at their
	// size: a short table cell took the estimate's room for dozens
	out := make([]elem, len(sh.out))
	copy(out, sh.out)
	sc.elems = sh.out[:0]
	return out
}

// blankSide is where a full-width punctuation mark of a Simplified
// Chinese font leaves its blank half: 1 on the right (commas, stops,
// closing brackets and quotes sit on the left), -1 on the left (opening
// brackets and quotes), 0 for none or another character.
func blankSide(r rune) int {
	switch r {
	case '，', '。', '、', '；', '：', '”', '’', '）', '》', '〉', '」', '』', '】', '〕', '］', '｝':
		return 1
	case '“', '‘', '（', '《', '〈', '「', '『', '【', '〔', '［', '｛':
		return -1
	}
	return 0
}

// compressPunct sets adjacent full-width punctuation marks as W3C's
// Requirements for Chinese Text Layout (clreq 3.1.6) do: of two blank
// halves side by side, one goes, so that "；“", "）。" or "》（" take an em
// and a half instead of two. A mark with its blank on the right loses it
// before any other mark; of two opening marks, the second loses its blank
// on the left.
func compressPunct(el []elem) {
	prev := -1
	for i := range el {
		e := &el[i]
		switch e.kind {
		case eGlue:
			if e.w != 0 {
				prev = -1 // a space between: not adjacent
			}
			continue
		case ePenalty:
			continue
		}
		r, n := utf8.DecodeRuneInString(e.text)
		side := 0
		if e.face != nil && n == len(e.text) && e.rise == 0 {
			side = blankSide(r)
		}
		if side == 0 {
			prev = -1
			continue
		}
		if prev >= 0 {
			p := &el[prev]
			pr, _ := utf8.DecodeRuneInString(p.text)
			switch {
			case blankSide(pr) == 1 && p.trimR == 0:
				p.trimR = 0.5 * p.size
				p.w -= p.trimR
			case blankSide(pr) == -1 && side == -1:
				e.trimL = 0.5 * e.size
				e.w -= e.trimL
			}
		}
		prev = i
	}
}

// breaks finds the line break opportunities of a paragraph (UAX #14), as
// byte offsets, in the scratch's reused slice.
func (sc *scratch) breaks(full string) []bool {
	if cap(sc.opp) < len(full)+1 {
		sc.opp = make([]bool, len(full)+1, 2*len(full)+1)
	}
	opp := sc.opp[:len(full)+1]
	clear(opp)
	state := -1
	for off, rest := 0, full; len(rest) > 0; {
		var seg string
		seg, rest, _, state = uniseg.FirstLineSegmentInString(rest, state)
		off += len(seg)
		// no break after a full stop before a digit: plan references
		// such as "III.1.2" stay whole (UAX #14 keeps "1.2" but not "III.1")
		if !(off < len(full) && full[off] >= '0' && full[off] <= '9' && full[off-1] == '.') {
			opp[off] = true
		}
	}
	return opp
}

// shaper is the state of shaping one paragraph: the elements made so far
// and the box of characters being filled.
type shaper struct {
	full     string
	para     *string
	zh       bool
	opp      []bool // break opportunities by byte offset
	out      []elem
	cur      *elem // the box being filled, from boxStart
	box      elem  // where cur points when a box is open (no allocation per box)
	boxStart int
	off      int // the byte offset of the rune being shaped
}

// flush ends the box being filled.
func (sh *shaper) flush() {
	if sh.cur != nil {
		sh.cur.text = sh.full[sh.boxStart:sh.off]
		if shapeable(sh.cur.text, sh.zh) {
			// kerning and ligatures: the box as shaped
			sh.cur.w = sh.cur.face.Width(sh.cur.text, sh.cur.size)
		}
		sh.cur.para, sh.cur.off = sh.para, int32(sh.boxStart)
		sh.out = append(sh.out, *sh.cur)
		sh.cur = nil
	}
}

// shapeable reports whether a box is measured (and drawn) as shaped: a
// run of two or more characters, none of them set on the Chinese grid
// but the dashes and ellipses of "——" and "……".
func shapeable(text string, zh bool) bool {
	n := 0
	for _, r := range text {
		// "——" and "……" are shaped too: a Chinese font draws "——" as
		// one connected two-em glyph (Noto CJK's ligature)
		if isWide(r) || zh && cjkish(r) && r != '—' && r != '…' {
			return false
		}
		n++
	}
	return n > 1
}

// join puts what goes between prev and r, in piece p: a space, a break
// opportunity, Chinese spacing, or nothing.
func (sh *shaper) join(p *piece, face *Face, prev, r rune, spacePending bool) {
	zh := sh.zh
	if !spacePending && ((prev == r && (r == '—' || r == '…')) || rangeDash(prev, r)) {
		// "——" and "……" are one unbreakable run, and a range such as
		// 2009—2015 does not break at its dash: nothing between them
		return
	}
	wideJoin := zh && (cjkish(prev) || cjkish(r))
	var allowed bool
	switch {
	case p.noBreak || noStart(r) || noEnd(prev):
	case spacePending, isWide(prev) || isWide(r):
		allowed = true
	default:
		allowed = sh.opp[sh.off]
	}
	autoSpace := zh && ((unicode.Is(unicode.Han, prev) && isLatinAlnum(r)) || (isLatinAlnum(prev) && unicode.Is(unicode.Han, r)))
	switch {
	case spacePending && zh && (cjkish(prev) || cjkish(r)) && !autoSpace:
		// a typed space beside Chinese punctuation: drop it
		sh.flush()
		if allowed {
			sh.out = append(sh.out, elem{kind: eGlue, cjk: true, stretch: 0.15 * p.size})
		}
	case autoSpace:
		sh.flush()
		if allowed {
			sh.out = append(sh.out, elem{kind: eGlue, w: 0.25 * p.size, stretch: 0.15 * p.size, shrink: 0.08 * p.size})
		} else {
			sh.out = append(sh.out, elem{kind: eBox, w: 0.25 * p.size, size: p.size})
		}
	case spacePending:
		sh.flush()
		sw := face.Advance(' ') * p.size / 1000
		if sw == 0 {
			sw = 0.25 * p.size
		}
		// a spaced dash ("costs — and benefits") ends a line, never
		// starts one
		dash := r == '—' || r == '–'
		sh.out = append(sh.out, elem{kind: eGlue, w: sw, stretch: sw / 2, shrink: sw / 3, nobreak: dash})
	case allowed && wideJoin:
		sh.flush()
		sh.out = append(sh.out, elem{kind: eGlue, cjk: true, stretch: 0.15 * p.size})
	case allowed:
		sh.flush()
		sh.out = append(sh.out, elem{kind: ePenalty})
	case wideJoin && cjkish(prev) && cjkish(r):
		// keep the pair together but let justification space it
		sh.flush()
		sh.out = append(sh.out, elem{kind: eGlue, cjk: true, nobreak: true, stretch: 0.15 * p.size})
	}
}

// hyphenate splits the words of el at the points patterns allow, with a
// discretionary hyphen between the parts, at least minHyphenSide letters
// from either end. Words of fewer than five letters, capitalised words
// (proper nouns, acronyms), the parts of a compound that already has a
// hyphen ("cost-effective"), links and code are left whole. cache
// remembers the points of words already seen.
func hyphenate(el []elem, pats *hyphen.Patterns, cache map[string][]int) []elem {
	var out []elem
	for i := range el {
		e := el[i]
		if e.kind != eBox || e.face == nil || e.link != "" || e.note != nil || e.mark != "" || utf8.RuneCountInString(e.text) < 5 {
			if out != nil {
				out = append(out, e)
			}
			continue
		}
		// the letters of the box, without leading or trailing punctuation
		lo := strings.IndexFunc(e.text, unicode.IsLetter)
		hi := strings.LastIndexFunc(e.text, unicode.IsLetter)
		if lo < 0 {
			if out != nil {
				out = append(out, e)
			}
			continue
		}
		_, last := utf8.DecodeRuneInString(e.text[hi:])
		word := e.text[lo : hi+last]
		if compound(el, i) {
			if out != nil {
				out = append(out, e)
			}
			continue
		}
		points, ok := cache[word]
		if !ok {
			first, _ := utf8.DecodeRuneInString(word)
			if n := utf8.RuneCountInString(word); n >= 2*minHyphenSide && strings.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 && !unicode.IsUpper(first) {
				for _, pt := range pats.Points(word) {
					if pt >= minHyphenSide && pt <= n-minHyphenSide {
						points = append(points, pt)
					}
				}
			}
			cache[word] = points
		}
		if len(points) == 0 {
			if out != nil {
				out = append(out, e)
			}
			continue
		}
		if out == nil {
			out = make([]elem, 0, len(el)+len(el)/4)
			out = append(out, el[:i]...)
		}
		hw := e.face.Advance('-') * e.size / 1000
		cut := 0  // byte offset in e.text of the current part's start
		prev := 0 // rune index in word
		pos := lo // byte offset in e.text of rune prev of word
		for _, pt := range points {
			for ; prev < pt; prev++ {
				_, n := utf8.DecodeRuneInString(e.text[pos:])
				pos += n
			}
			part := e
			part.text = e.text[cut:pos]
			part.off = e.off + int32(cut)
			part.w = e.face.Width(part.text, e.size)
			out = append(out, part, elem{kind: ePenalty, hyphen: true, w: hw, face: e.face, size: e.size, color: e.color})
			cut = pos
		}
		part := e
		part.text = e.text[cut:]
		part.off = e.off + int32(cut)
		part.w = e.face.Width(part.text, e.size)
		out = append(out, part)
	}
	if out == nil {
		return el
	}
	return out
}

// minHyphenSide is the fewest letters a hyphenated word keeps on either
// side of the break.
const minHyphenSide = 3

// compound reports whether box i of el is part of a word joined to the
// next or the previous by a hyphen of its own ("cost-effective" is two
// boxes with a break point between them): such a word is broken only at
// its hyphen.
func compound(el []elem, i int) bool {
	if strings.ContainsRune(el[i].text, '-') {
		return true
	}
	// the box before, across a break point that is not a space
	for k := i - 1; k >= 0; k-- {
		if el[k].kind == eGlue {
			break
		}
		if el[k].kind == eBox {
			return strings.HasSuffix(el[k].text, "-")
		}
	}
	return false
}

// isDash is true for the dashes and tildes that join the ends of a range.
func isDash(r rune) bool {
	return r == '—' || r == '–' || r == '-' || r == '~' || r == '～'
}

// rangeDash reports whether prev and r are a digit and the dash of a
// range next to it ("2009—2015", "pp. 45–47"), which a line never breaks.
func rangeDash(prev, r rune) bool {
	return (isDigit(prev) && isDash(r)) || (isDash(prev) && isDigit(r))
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

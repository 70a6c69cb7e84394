package pdffont

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The CFF subsetter (Adobe Technical Notes 5176, "The Compact Font Format
// Specification", and 5177, "The Type 2 Charstring Format"). It writes a
// CID-keyed CFF holding the glyphs asked for, in that order, so that CID n
// is glyph n of the subset (a charset of one range) and content codes are
// the subset's glyph numbers. Charstrings are desubroutinized: the
// subroutines they call are copied in, so neither the global nor the local
// subroutine INDEXes (a few hundred kilobytes in a CJK font) need to be
// kept. A name-keyed CFF becomes CID-keyed (Adobe-Identity-0) with one
// font dictionary holding its Private DICT.

// cffIndex is a checked INDEX: where its items are, and the offset just
// past it.
type cffIndex struct {
	b     []byte // the table
	offs  int    // where the offsets begin
	size  int    // bytes per offset
	data  int    // where item data begins, less one (offsets count from 1)
	count int
	end   int
}

// offset is offset i of the index, which readIndex checked.
func (x cffIndex) offset(i int) int {
	v := 0
	for _, c := range x.b[x.offs+i*x.size : x.offs+(i+1)*x.size] {
		v = v<<8 | int(c)
	}
	return v
}

// item is item i (from 0, below count) of the index. Items are sliced on
// demand: a CJK font has 65,535 charstrings, of which a subset uses a few
// thousand, and a slice header for each cost more than the rest of the
// parse.
func (x cffIndex) item(i int) []byte {
	return x.b[x.data+x.offset(i) : x.data+x.offset(i+1)]
}

// all is every item of the index (for the small ones).
func (x cffIndex) all() [][]byte {
	items := make([][]byte, x.count)
	for i := range items {
		items[i] = x.item(i)
	}
	return items
}

var errCFF = errors.New("malformed CFF table")

// readIndex reads the INDEX at off in b, checking every offset once.
func readIndex(b []byte, off int) (cffIndex, error) {
	if off < 0 || off+2 > len(b) {
		return cffIndex{}, fmt.Errorf("%w: INDEX at %d past the end", errCFF, off)
	}
	count := int(binary.BigEndian.Uint16(b[off:]))
	if count == 0 {
		return cffIndex{end: off + 2}, nil
	}
	if off+3 > len(b) {
		return cffIndex{}, errCFF
	}
	size := int(b[off+2])
	if size < 1 || size > 4 {
		return cffIndex{}, fmt.Errorf("%w: INDEX offset size %d", errCFF, size)
	}
	offs := off + 3
	if offs+(count+1)*size > len(b) {
		return cffIndex{}, fmt.Errorf("%w: INDEX offsets past the end", errCFF)
	}
	idx := cffIndex{b: b, offs: offs, size: size, data: offs + (count+1)*size - 1, count: count}
	prev := idx.offset(0)
	for i := 0; i < count; i++ {
		next := idx.offset(i + 1)
		if prev < 1 || next < prev || idx.data+next > len(b) {
			return cffIndex{}, fmt.Errorf("%w: INDEX item %d out of bounds", errCFF, i)
		}
		prev = next
	}
	idx.end = idx.data + prev
	return idx, nil
}

// appendIndex appends an INDEX of items.
func appendIndex(dst []byte, items [][]byte) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(items)))
	if len(items) == 0 {
		return dst
	}
	total := 1
	for _, it := range items {
		total += len(it)
	}
	size := 1
	for total >= 1<<(8*size) {
		size++
	}
	dst = append(dst, byte(size))
	put := func(v int) {
		for i := size - 1; i >= 0; i-- {
			dst = append(dst, byte(v>>(8*i)))
		}
	}
	off := 1
	put(off)
	for _, it := range items {
		off += len(it)
		put(off)
	}
	for _, it := range items {
		dst = append(dst, it...)
	}
	return dst
}

// dictEntry is one operator of a DICT with its operands, raw (to copy)
// and as integers (reals read as 0).
type dictEntry struct {
	op   int // 0-21, or 1200+b1 for escaped operators
	raw  []byte
	ints []int
}

func parseDict(b []byte) ([]dictEntry, error) {
	var out []dictEntry
	start := 0
	var ints []int
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c <= 21:
			op := int(c)
			n := 1
			if c == 12 {
				if i+1 >= len(b) {
					return nil, fmt.Errorf("%w: DICT ends in an escape", errCFF)
				}
				op, n = 1200+int(b[i+1]), 2
			}
			out = append(out, dictEntry{op: op, raw: b[start:i], ints: ints})
			i += n
			start, ints = i, nil
		case c == 28:
			if i+3 > len(b) {
				return nil, errCFF
			}
			ints = append(ints, int(int16(binary.BigEndian.Uint16(b[i+1:]))))
			i += 3
		case c == 29:
			if i+5 > len(b) {
				return nil, errCFF
			}
			ints = append(ints, int(int32(binary.BigEndian.Uint32(b[i+1:]))))
			i += 5
		case c == 30:
			i++
			for i < len(b) && b[i]&0x0f != 0x0f && b[i]>>4 != 0x0f {
				i++
			}
			i++
			ints = append(ints, 0)
		case c >= 32 && c <= 246:
			ints = append(ints, int(c)-139)
			i++
		case c >= 247 && c <= 250:
			if i+2 > len(b) {
				return nil, errCFF
			}
			ints = append(ints, (int(c)-247)*256+int(b[i+1])+108)
			i += 2
		case c >= 251 && c <= 254:
			if i+2 > len(b) {
				return nil, errCFF
			}
			ints = append(ints, -(int(c)-251)*256-int(b[i+1])-108)
			i += 2
		default:
			return nil, fmt.Errorf("%w: DICT byte %d", errCFF, c)
		}
	}
	return out, nil
}

func find(d []dictEntry, op int) (dictEntry, bool) {
	for _, e := range d {
		if e.op == op {
			return e, true
		}
	}
	return dictEntry{}, false
}

// appendInt5 appends v as a five-byte DICT integer, so that offsets can be
// filled in without changing sizes.
func appendInt5(dst []byte, v int) []byte {
	return binary.BigEndian.AppendUint32(append(dst, 29), uint32(int32(v)))
}

func appendOp(dst []byte, op int) []byte {
	if op >= 1200 {
		return append(dst, 12, byte(op-1200))
	}
	return append(dst, byte(op))
}

// DICT operators the subsetter reads or rewrites.
const (
	opCharset       = 15
	opEncoding      = 16
	opCharStrings   = 17
	opPrivate       = 18
	opSubrs         = 19
	opNominalWidthX = 21
	opUniqueID      = 13
	opXUID          = 14
	opROS           = 1230
	opCIDCount      = 1234
	opUIDBase       = 1235
	opFDArray       = 1236
	opFDSelect      = 1237
	opFontName      = 1238
)

// cffFont is the parsed source font.
type cffFont struct {
	b        []byte
	name     []byte
	top      []dictEntry
	strings  cffIndex
	gsubrs   cffIndex
	chars    cffIndex
	cid      bool
	fds      [][]dictEntry // font dicts (one, made up, for a name-keyed font)
	privates [][]byte      // each font dict's Private DICT, Subrs dropped
	lsubrs   []cffIndex    // each font dict's local subroutines
	nominal  []int         // each font dict's nominalWidthX
	fdOf     func(g int) int
}

func parseCFF(b []byte) (*cffFont, error) {
	if len(b) < 4 || b[0] != 1 {
		return nil, fmt.Errorf("%w: not CFF version 1", errCFF)
	}
	f := &cffFont{b: b}
	names, err := readIndex(b, int(b[2]))
	if err != nil {
		return nil, err
	}
	tops, err := readIndex(b, names.end)
	if err != nil {
		return nil, err
	}
	if names.count != 1 || tops.count != 1 {
		return nil, fmt.Errorf("%w: %d fonts in one CFF table", errCFF, names.count)
	}
	f.name = names.item(0)
	if f.top, err = parseDict(tops.item(0)); err != nil {
		return nil, err
	}
	if f.strings, err = readIndex(b, tops.end); err != nil {
		return nil, err
	}
	if f.gsubrs, err = readIndex(b, f.strings.end); err != nil {
		return nil, err
	}
	cs, ok := find(f.top, opCharStrings)
	if !ok || len(cs.ints) != 1 {
		return nil, fmt.Errorf("%w: no CharStrings", errCFF)
	}
	if f.chars, err = readIndex(b, cs.ints[0]); err != nil {
		return nil, err
	}
	_, f.cid = find(f.top, opROS)
	if !f.cid {
		priv, ok := find(f.top, opPrivate)
		if !ok || len(priv.ints) != 2 {
			return nil, fmt.Errorf("%w: no Private DICT", errCFF)
		}
		if err := f.addFD(nil, priv.ints[0], priv.ints[1]); err != nil {
			return nil, err
		}
		f.fdOf = func(int) int { return 0 }
		return f, nil
	}
	fda, ok := find(f.top, opFDArray)
	if !ok || len(fda.ints) != 1 {
		return nil, fmt.Errorf("%w: CID font without FDArray", errCFF)
	}
	fdIdx, err := readIndex(b, fda.ints[0])
	if err != nil {
		return nil, err
	}
	for _, item := range fdIdx.all() {
		d, err := parseDict(item)
		if err != nil {
			return nil, err
		}
		priv, ok := find(d, opPrivate)
		if !ok || len(priv.ints) != 2 {
			return nil, fmt.Errorf("%w: font dict without Private", errCFF)
		}
		if err := f.addFD(d, priv.ints[0], priv.ints[1]); err != nil {
			return nil, err
		}
	}
	sel, ok := find(f.top, opFDSelect)
	if !ok || len(sel.ints) != 1 {
		return nil, fmt.Errorf("%w: CID font without FDSelect", errCFF)
	}
	fdOf, err := readFDSelect(b, sel.ints[0], f.chars.count, len(f.fds))
	if err != nil {
		return nil, err
	}
	f.fdOf = fdOf
	return f, nil
}

// addFD adds a font dict with its Private DICT of size at off.
func (f *cffFont) addFD(d []dictEntry, size, off int) error {
	if off < 0 || size < 0 || off+size > len(f.b) {
		return fmt.Errorf("%w: Private DICT out of bounds", errCFF)
	}
	pd := f.b[off : off+size]
	ents, err := parseDict(pd)
	if err != nil {
		return err
	}
	var priv []byte
	lsubrs := cffIndex{}
	nominal := 0
	for _, e := range ents {
		if e.op == opNominalWidthX && len(e.ints) == 1 {
			nominal = e.ints[0]
		}
		if e.op == opSubrs {
			if len(e.ints) != 1 {
				return errCFF
			}
			if lsubrs, err = readIndex(f.b, off+e.ints[0]); err != nil {
				return err
			}
			continue
		}
		priv = appendOp(append(priv, e.raw...), e.op)
	}
	f.fds = append(f.fds, d)
	f.privates = append(f.privates, priv)
	f.lsubrs = append(f.lsubrs, lsubrs)
	f.nominal = append(f.nominal, nominal)
	return nil
}

func readFDSelect(b []byte, off, nGlyphs, nFDs int) (func(int) int, error) {
	if off < 0 || off >= len(b) {
		return nil, errCFF
	}
	fds := make([]uint8, nGlyphs)
	switch b[off] {
	case 0:
		if off+1+nGlyphs > len(b) {
			return nil, errCFF
		}
		copy(fds, b[off+1:])
	case 3:
		if off+3 > len(b) {
			return nil, errCFF
		}
		n := int(binary.BigEndian.Uint16(b[off+1:]))
		p := off + 3
		if p+n*3+2 > len(b) {
			return nil, errCFF
		}
		for i := 0; i < n; i++ {
			first := int(binary.BigEndian.Uint16(b[p:]))
			fd := b[p+2]
			next := int(binary.BigEndian.Uint16(b[p+3:]))
			for g := first; g < next && g < nGlyphs; g++ {
				fds[g] = fd
			}
			p += 3
		}
	default:
		return nil, fmt.Errorf("%w: FDSelect format %d", errCFF, b[off])
	}
	for _, fd := range fds {
		if int(fd) >= nFDs {
			return nil, fmt.Errorf("%w: FDSelect names font dict %d of %d", errCFF, fd, nFDs)
		}
	}
	return func(g int) int { return int(fds[g]) }, nil
}

// subsetCFF writes the CID-keyed CFF of glyphs (old glyph numbers, in
// the order of the subset; glyphs[0] is .notdef).
func subsetCFF(table []byte, glyphs []uint16) ([]byte, error) {
	f, err := parseCFF(table)
	if err != nil {
		return nil, err
	}
	return f.subset(glyphs, nil)
}

// subset writes the CID-keyed CFF of glyphs of the parsed font, which it
// only reads: documents written at the same time share one parse.
func (f *cffFont) subset(glyphs []uint16, widths map[int]int) ([]byte, error) {
	var err error
	chars := make([][]byte, len(glyphs))
	fdOf := make([]int, len(glyphs))
	for i, g := range glyphs {
		if int(g) >= f.chars.count {
			return nil, fmt.Errorf("%w: glyph %d of %d", errCFF, g, f.chars.count)
		}
		fdOf[i] = f.fdOf(int(g))
		if chars[i], err = f.flatten(f.chars.item(int(g)), fdOf[i]); err != nil {
			return nil, fmt.Errorf("glyph %d: %w", g, err)
		}
		if w, ok := widths[i]; ok {
			if chars[i], err = setWidth(chars[i], w-f.nominal[fdOf[i]]); err != nil {
				return nil, fmt.Errorf("glyph %d: %w", g, err)
			}
		}
	}
	strs := f.strings.all()
	var ros []byte
	if f.cid {
		e, _ := find(f.top, opROS)
		ros = appendOp(append([]byte(nil), e.raw...), opROS)
	} else {
		// Adobe-Identity-0 with two new strings (SIDs follow the 391
		// standard strings)
		strs = append(append([][]byte(nil), strs...), []byte("Adobe"), []byte("Identity"))
		ros = appendInt5(appendInt5(appendInt5(nil, 391+len(strs)-2), 391+len(strs)-1), 0)
		ros = appendOp(ros, opROS)
	}

	build := func(at cffLayout) []byte { return f.write(len(glyphs), ros, strs, chars, fdOf, at) }
	// first pass: the layout, read back from a draft with zero offsets
	// (five-byte integers keep every size)
	draft := build(cffLayout{privates: make([]int, len(f.fds))})
	names, err := readIndex(draft, 4)
	if err != nil {
		return nil, err
	}
	tops, err := readIndex(draft, names.end)
	if err != nil {
		return nil, err
	}
	strIdx, err := readIndex(draft, tops.end)
	if err != nil {
		return nil, err
	}
	gsub, err := readIndex(draft, strIdx.end)
	if err != nil {
		return nil, err
	}
	charsetOff := gsub.end
	fdSelOff := charsetOff + 1
	if len(glyphs) > 1 {
		fdSelOff += 4
	}
	cnt := int(binary.BigEndian.Uint16(draft[fdSelOff+1:]))
	charsOff := fdSelOff + 3 + 3*cnt + 2
	charIdx, err := readIndex(draft, charsOff)
	if err != nil {
		return nil, err
	}
	fdArrOff := charIdx.end
	fdArr, err := readIndex(draft, fdArrOff)
	if err != nil {
		return nil, err
	}
	privOffs := make([]int, len(f.privates))
	q := fdArr.end
	for i, pr := range f.privates {
		privOffs[i] = q
		q += len(pr)
	}
	out := build(cffLayout{charsetOff, fdSelOff, charsOff, fdArrOff, privOffs})
	if len(out) != len(draft) {
		return nil, fmt.Errorf("CFF subset: layout changed between passes (%d, %d bytes)", len(draft), len(out))
	}
	return out, nil
}

// cffLayout is where the parts of a subset begin.
type cffLayout struct {
	charset, fdSelect, chars, fdArray int
	privates                          []int
}

// write writes a subset of n glyphs with charstrings chars in font dicts
// fdOf, under ros and strs, with its parts at at (zero offsets give the
// same sizes: five-byte integers).
func (f *cffFont) write(n int, ros []byte, strs, chars [][]byte, fdOf []int, at cffLayout) []byte {
	top := append([]byte(nil), ros...)
	for _, e := range f.top {
		switch e.op {
		case opROS, opCharset, opEncoding, opCharStrings, opPrivate, opFDArray, opFDSelect, opCIDCount, opUIDBase, opXUID, opUniqueID:
			continue
		}
		top = appendOp(append(top, e.raw...), e.op)
	}
	top = appendOp(appendInt5(top, n), opCIDCount)
	top = appendOp(appendInt5(top, at.charset), opCharset)
	top = appendOp(appendInt5(top, at.fdSelect), opFDSelect)
	top = appendOp(appendInt5(top, at.chars), opCharStrings)
	top = appendOp(appendInt5(top, at.fdArray), opFDArray)

	out := []byte{1, 0, 4, 4}
	out = appendIndex(out, [][]byte{f.name})
	out = appendIndex(out, [][]byte{top})
	out = appendIndex(out, strs)
	out = appendIndex(out, nil) // no global subroutines
	// charset: CIDs 1..n-1 for glyphs 1..n-1 (format 2, one range)
	out = append(out, 2)
	if n > 1 {
		out = binary.BigEndian.AppendUint16(out, 1)
		out = binary.BigEndian.AppendUint16(out, uint16(n-2))
	}
	// FDSelect, format 3
	var ranges [][2]int
	for g, fd := range fdOf {
		if len(ranges) == 0 || ranges[len(ranges)-1][1] != fd {
			ranges = append(ranges, [2]int{g, fd})
		}
	}
	out = append(out, 3)
	out = binary.BigEndian.AppendUint16(out, uint16(len(ranges)))
	for _, r := range ranges {
		out = append(binary.BigEndian.AppendUint16(out, uint16(r[0])), byte(r[1]))
	}
	out = binary.BigEndian.AppendUint16(out, uint16(n))
	out = appendIndex(out, chars)
	fds := make([][]byte, len(f.fds))
	for i, d := range f.fds {
		var fd []byte
		for _, e := range d {
			if e.op != opPrivate {
				fd = appendOp(append(fd, e.raw...), e.op)
			}
		}
		fd = appendInt5(appendInt5(fd, len(f.privates[i])), at.privates[i])
		fds[i] = appendOp(fd, opPrivate)
	}
	out = appendIndex(out, fds)
	for _, p := range f.privates {
		out = append(out, p...)
	}
	return out
}

// subrBias is the number added to a subroutine operand (5177, 4.7).
func subrBias(n int) int {
	switch {
	case n < 1240:
		return 107
	case n < 33900:
		return 1131
	}
	return 32768
}

// flatten returns charstring cs of a glyph of font dict fd with every
// subroutine call replaced by the subroutine's body.
func (f *cffFont) flatten(cs []byte, fd int) ([]byte, error) {
	fl := &flattener{f: f, lsubrs: f.lsubrs[fd]}
	if _, err := fl.run(cs, 0); err != nil {
		return nil, err
	}
	return fl.out, nil
}

type flattener struct {
	f      *cffFont
	lsubrs cffIndex
	out    []byte
	stack  int // operands on the stack
	stems  int // stem hints declared so far
	// where the last operand begins in out, and its value when an integer
	lastAt  int
	lastVal int
	lastInt bool
}

const maxCharstring = 1 << 16

// run copies cs into fl.out, reporting whether it ended the glyph.
func (fl *flattener) run(cs []byte, depth int) (bool, error) {
	if depth > 10 {
		return false, fmt.Errorf("%w: subroutines nested more than 10 deep", errCFF)
	}
	for i := 0; i < len(cs); {
		c := cs[i]
		if len(fl.out) > maxCharstring {
			return false, fmt.Errorf("%w: a charstring longer than %d bytes once its subroutines are copied in", errCFF, maxCharstring)
		}
		if c >= 32 || c == 28 {
			n, v, isInt := 1, 0, true
			switch {
			case c == 28:
				n = 3
				if i+3 <= len(cs) {
					v = int(int16(binary.BigEndian.Uint16(cs[i+1:])))
				}
			case c <= 246:
				v = int(c) - 139
			case c <= 250:
				n = 2
				if i+1 < len(cs) {
					v = (int(c)-247)*256 + int(cs[i+1]) + 108
				}
			case c <= 254:
				n = 2
				if i+1 < len(cs) {
					v = -(int(c)-251)*256 - int(cs[i+1]) - 108
				}
			default: // 255: 16.16 fixed
				n, isInt = 5, false
			}
			if i+n > len(cs) {
				return false, fmt.Errorf("%w: charstring number past the end", errCFF)
			}
			fl.lastAt, fl.lastVal, fl.lastInt = len(fl.out), v, isInt
			fl.out = append(fl.out, cs[i:i+n]...)
			fl.stack++
			i += n
			continue
		}
		switch c {
		case 10, 29: // callsubr, callgsubr
			if fl.stack == 0 || !fl.lastInt {
				return false, fmt.Errorf("%w: subroutine call without a number", errCFF)
			}
			subrs := fl.lsubrs
			if c == 29 {
				subrs = fl.f.gsubrs
			}
			k := fl.lastVal + subrBias(subrs.count)
			if k < 0 || k >= subrs.count {
				return false, fmt.Errorf("%w: subroutine %d of %d", errCFF, k, subrs.count)
			}
			fl.out = fl.out[:fl.lastAt]
			fl.stack--
			fl.lastInt = false
			ended, err := fl.run(subrs.item(k), depth+1)
			if err != nil || ended {
				return ended, err
			}
			i++
		case 11: // return
			return false, nil
		case 14: // endchar
			fl.out = append(fl.out, c)
			return true, nil
		case 1, 3, 18, 23: // hstem, vstem, hstemhm, vstemhm
			fl.stems += fl.stack / 2
			fl.stack = 0
			fl.out = append(fl.out, c)
			i++
		case 19, 20: // hintmask, cntrmask: an implied vstemhm, then the mask
			fl.stems += fl.stack / 2
			fl.stack = 0
			n := (fl.stems + 7) / 8
			if i+1+n > len(cs) {
				return false, fmt.Errorf("%w: hint mask past the end", errCFF)
			}
			fl.out = append(fl.out, cs[i:i+1+n]...)
			i += 1 + n
		case 12:
			if i+1 >= len(cs) {
				return false, fmt.Errorf("%w: charstring ends in an escape", errCFF)
			}
			switch cs[i+1] {
			case 34, 35, 36, 37: // hflex, flex, hflex1, flex1
			default:
				return false, fmt.Errorf("%w: charstring operator 12 %d is not supported", errCFF, cs[i+1])
			}
			fl.stack = 0
			fl.out = append(fl.out, cs[i:i+2]...)
			i += 2
		default: // path operators clear the stack
			fl.stack = 0
			fl.out = append(fl.out, c)
			i++
		}
		fl.lastInt = false
	}
	return false, nil
}

// setWidth returns the flattened charstring cs with its advance width
// operand set to w (the width less the font dict's nominalWidthX): the
// operand that comes before the first stack-clearing operator when it has
// one more operand than that operator takes.
func setWidth(cs []byte, w int) ([]byte, error) {
	k, first := 0, -1 // operands before the first operator; end of the first
	for i := 0; i < len(cs); {
		c := cs[i]
		if c >= 32 || c == 28 {
			n := 1
			switch {
			case c == 28:
				n = 3
			case c >= 247 && c <= 254:
				n = 2
			case c == 255:
				n = 5
			}
			if i+n > len(cs) {
				return nil, fmt.Errorf("%w: charstring number past the end", errCFF)
			}
			i += n
			if k == 0 {
				first = i
			}
			k++
			continue
		}
		var has bool
		switch c {
		case 1, 3, 18, 23, 19, 20: // stems and masks take pairs
			has = k%2 == 1
		case 21: // rmoveto
			has = k > 2
		case 22, 4: // hmoveto, vmoveto
			has = k > 1
		case 14: // endchar: none, or four (seac)
			has = k == 1 || k == 5
		default:
			return nil, fmt.Errorf("%w: charstring begins with operator %d", errCFF, c)
		}
		rest := cs
		if has {
			rest = cs[first:]
		}
		return append(appendCharstringInt(nil, w), rest...), nil
	}
	return nil, fmt.Errorf("%w: charstring without an operator", errCFF)
}

// appendCharstringInt appends v as a Type 2 charstring number.
func appendCharstringInt(b []byte, v int) []byte {
	switch {
	case v >= -107 && v <= 107:
		return append(b, byte(v+139))
	case v >= 108 && v <= 1131:
		v -= 108
		return append(b, byte(v/256+247), byte(v%256))
	case v >= -1131 && v <= -108:
		v = -v - 108
		return append(b, byte(v/256+251), byte(v%256))
	}
	return append(b, 28, byte(int16(v)>>8), byte(int16(v)))
}

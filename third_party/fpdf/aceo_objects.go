// aceo patch: see PATCHES.md.

package fpdf

import (
	"bytes"
	"crypto/md5"
	"fmt"
	"regexp"
	"strings"
)

// ObjectWriter writes PDF objects of the caller's into the document, for
// fonts the library cannot make itself (see AddFontObjects).
type ObjectWriter struct {
	f *Fpdf
}

// Object begins a new object, writes dict (or any direct object) as its
// body, and returns its number.
func (w *ObjectWriter) Object(body string) int {
	w.f.newobj()
	w.f.out(body)
	w.f.out("endobj")
	return w.f.n
}

// Reserve returns the number of the next object without writing it;
// the caller must write it next with Object or Stream.
func (w *ObjectWriter) Reserve() int {
	return w.f.n + 1
}

// Stream writes data as a new stream object, Flate-compressed when the
// document is compressed, with the entries of dict (without Length and
// Filter, which are added), and returns its number.
func (w *ObjectWriter) Stream(dict string, data []byte) int {
	f := w.f
	if f.compress {
		data = compressBytes(data)
		dict += " /Filter /FlateDecode"
	}
	f.newobj()
	f.outf("<<%s /Length %d>>", dict, len(data))
	f.putstream(data)
	f.out("endobj")
	return f.n
}

type objectFont struct {
	name string
	put  func(w *ObjectWriter) (int, error)
	n    int
}

var objectFontName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)

// AddFontObjects adds a font resource named name (letters and digits,
// not F followed by digits, which the library's own fonts use) whose
// objects put writes when the document is output, returning the number of
// its font dictionary. Text in it is written by the caller with
// RawWriteStr ("/name size Tf ..."). Fonts are written in the order they
// were added.
func (f *Fpdf) AddFontObjects(name string, put func(w *ObjectWriter) (int, error)) {
	if !objectFontName.MatchString(name) || regexp.MustCompile(`^F[0-9]`).MatchString(name) {
		f.SetErrorf("font resource name %q: use letters and digits, not F and a digit", name)
		return
	}
	for _, of := range f.objectFonts {
		if of.name == name {
			f.SetErrorf("font resource %s added twice", name)
			return
		}
	}
	f.objectFonts = append(f.objectFonts, objectFont{name: name, put: put})
}

// putObjectFonts writes the caller's fonts.
func (f *Fpdf) putObjectFonts() {
	w := &ObjectWriter{f: f}
	for i := range f.objectFonts {
		of := &f.objectFonts[i]
		n, err := of.put(w)
		if err != nil {
			f.SetError(fmt.Errorf("font %s: %w", of.name, err))
			return
		}
		of.n = n
	}
}

// SetPageDictExtra adds entries (written as they are, such as
// "/StructParents 0 /Tabs /S") to the dictionary of page n (from 1).
func (f *Fpdf) SetPageDictExtra(n int, entries string) {
	if f.pageDictExtra == nil {
		f.pageDictExtra = map[int]string{}
	}
	f.pageDictExtra[n] = entries
}

// SetCatalogObjects has put write objects of the caller's when the
// document is output, after its pages (pageObj gives the object number
// of page n, from 1), and add the entries it returns to the document
// catalog (a structure tree: "/StructTreeRoot 12 0 R /MarkInfo ...").
func (f *Fpdf) SetCatalogObjects(put func(w *ObjectWriter, pageObj func(page int) int) (string, error)) {
	f.catalogObjects = put
}

// putCatalogObjects writes the caller's catalog objects.
func (f *Fpdf) putCatalogObjects() {
	if f.catalogObjects == nil {
		return
	}
	// pages are written first: page n is object 1+2n (its content 2+2n)
	extra, err := f.catalogObjects(&ObjectWriter{f: f}, func(page int) int { return 1 + 2*page })
	if err != nil {
		f.SetError(fmt.Errorf("catalog objects: %w", err))
		return
	}
	f.catalogExtra = extra
}

type compactObject struct {
	num  int
	body string
}

// SetObjectStreams has the objects the caller writes with
// ObjectWriter.Compact go into compressed object streams, listed in a
// cross-reference stream (PDF 1.5). A tagged document's thousands of
// small structure elements take a tenth of their size that way.
func (f *Fpdf) SetObjectStreams(on bool) {
	f.objStreams = on
	if on && f.pdfVersion < pdfVers1_5 {
		f.pdfVersion = pdfVers1_5
	}
}

// Compact writes body (a dictionary or other direct object, not a
// stream) as a new object in an object stream when object streams are on,
// as Object does otherwise, and returns its number.
func (w *ObjectWriter) Compact(body string) int {
	f := w.f
	if !f.objStreams || f.protect.encrypted {
		return w.Object(body)
	}
	f.n++
	for j := len(f.offsets); j <= f.n; j++ {
		f.offsets = append(f.offsets, 0)
	}
	f.compact = append(f.compact, compactObject{f.n, body})
	return f.n
}

// putObjectStreams writes the compact objects in object streams of up to
// 500, then the cross-reference stream and the end of the file.
func (f *Fpdf) putObjectStreams() {
	// the catalog was the last object written
	root, info := f.n, f.nInfo
	type loc struct{ stm, idx int }
	locs := make(map[int]loc, len(f.compact))
	const per = 500
	for start := 0; start < len(f.compact); start += per {
		chunk := f.compact[start:min(start+per, len(f.compact))]
		var head, body bytes.Buffer
		for i, o := range chunk {
			fmt.Fprintf(&head, "%d %d ", o.num, body.Len())
			body.WriteString(o.body)
			body.WriteByte('\n')
			locs[o.num] = loc{f.n + 1, i}
		}
		first := head.Len()
		data := compressBytes(append(head.Bytes(), body.Bytes()...))
		f.newobj()
		f.outf("<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>", len(chunk), first, len(data))
		f.putstream(data)
		f.out("endobj")
	}
	f.newobj()
	xref := f.n
	// Each entry is a row of 7 bytes under the PNG Up predictor (a filter
	// byte of 2, then each byte less the one above it), as the writers of
	// large PDFs do: consecutive entries differ little, so the stream
	// compresses to a few percent of its size instead of a third.
	var x bytes.Buffer
	var prev [7]byte
	entry := func(t byte, a uint32, b uint16) {
		row := [7]byte{t, byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a), byte(b >> 8), byte(b)}
		x.WriteByte(2)
		for i := range row {
			x.WriteByte(row[i] - prev[i])
		}
		prev = row
	}
	entry(0, 0, 65535)
	for j := 1; j <= f.n; j++ {
		if l, ok := locs[j]; ok {
			entry(2, uint32(l.stm), uint16(l.idx))
		} else {
			entry(1, uint32(f.offsets[j]), 0)
		}
	}
	data := compressBytes(x.Bytes())
	// the file's identifier (PDF/A requires one): a digest of its bytes so
	// far, the same for the same document
	id := md5.Sum(f.buffer.Bytes())
	f.outf("<</Type /XRef /W [1 4 2] /Size %d /Root %d 0 R /Info %d 0 R /ID [<%x> <%x>] /Filter /FlateDecode /DecodeParms <</Columns 7 /Predictor 12>> /Length %d>>", f.n+1, root, info, id, id, len(data))
	f.putstream(data)
	f.out("endobj")
	f.out("startxref")
	f.outf("%d", f.offsets[xref])
	f.out("%%EOF")
}

// objectStreamLevel is the zlib level of object streams and the
// cross-reference stream: level 7 gives within 0.5 % of level 9's size on
// a tagged document's structure elements in two thirds of the time (9
// searches its long, repetitive matches to the end for nothing).
const objectStreamLevel = 7

func compressBytes(data []byte) []byte {
	mem := xmem.compressLevel(data, objectStreamLevel)
	out := append([]byte(nil), mem.bytes()...)
	mem.release()
	return out
}

// SetCompressionLevel sets the zlib level (1 to 9) of the pages' content
// streams; the library's default is 1 (BestSpeed).
func (f *Fpdf) SetCompressionLevel(level int) {
	f.zlevel = level
}

// SetLinkAnnotations has link annotations written as objects of their
// own, after the pages, each with the print flag (/F 4, as PDF/A
// requires) and the entries extra returns for link i (from 0) of page n
// (from 1), such as "/StructParent 12 /Contents (...)": a tagged document
// refers to them from its structure tree (LinkAnnotation gives their
// numbers). By default they are written inside the pages' /Annots arrays.
func (f *Fpdf) SetLinkAnnotations(extra func(page, i int) string) {
	f.annotExtra = extra
}

// LinkAnnotation is the object number of link i (from 0) of page n (from
// 1) when SetLinkAnnotations is on, once the pages are written (in a
// SetCatalogObjects function); 0 otherwise.
func (f *Fpdf) LinkAnnotation(page, i int) int {
	if f.annotExtra == nil || page < 1 || page >= len(f.annotFirst) || i < 0 || i >= len(f.pageLinks[page]) {
		return 0
	}
	return f.annotFirst[page] + i
}

// numberAnnotations gives the link annotations of the nb pages their
// object numbers: they follow the pages and their contents (page n is
// object 1+2n).
func (f *Fpdf) numberAnnotations(nb int) {
	if f.annotExtra == nil {
		return
	}
	f.annotFirst = make([]int, nb+1)
	next := f.n + 2*nb + 1
	for n := 1; n <= nb; n++ {
		f.annotFirst[n] = next
		next += len(f.pageLinks[n])
	}
}

// putLinkAnnotations writes the link annotations numbered by
// numberAnnotations, in order.
func (f *Fpdf) putLinkAnnotations(nb int, hPt float64) {
	if f.annotExtra == nil {
		return
	}
	for n := 1; n <= nb; n++ {
		for i, pl := range f.pageLinks[n] {
			var b fmtBuffer
			b.printf("<</Type /Annot /Subtype /Link /F 4 /Rect [%.2f %.2f %.2f %.2f] /Border [0 0 0] ",
				pl.x, pl.y, pl.x+pl.wd, pl.y-pl.ht)
			if pl.link == 0 {
				b.printf("/A <</S /URI /URI %s>>", f.textstring(pl.linkStr))
			} else {
				l := f.links[pl.link]
				h := hPt
				if sz, ok := f.pageSizes[l.page]; ok {
					h = sz.Ht
				}
				b.printf("/Dest [%d 0 R /XYZ 0 %.2f null]", 1+2*l.page, h-l.y*f.k)
			}
			b.printf("%s>>", f.annotExtra(n, i))
			num := (&ObjectWriter{f: f}).Compact(b.String())
			if num != f.annotFirst[n]+i {
				f.SetErrorf("link annotation %d of page %d numbered %d, not %d", i, n, num, f.annotFirst[n]+i)
				return
			}
		}
	}
}

// compactObject writes the object put writes (with out, as object f.n)
// into an object stream when those are on, as a plain object otherwise.
// Pages and outline items are small dictionaries that take a tenth of
// their size in a compressed object stream.
func (f *Fpdf) compactObject(put func()) {
	if !f.objStreams || f.protect.encrypted {
		f.newobj()
		put()
		f.out("endobj")
		return
	}
	f.n++
	for j := len(f.offsets); j <= f.n; j++ {
		f.offsets = append(f.offsets, 0)
	}
	saved := f.buffer
	f.buffer = fmtBuffer{}
	put()
	body := strings.TrimSuffix(f.buffer.String(), "\n")
	f.buffer = saved
	f.compact = append(f.compact, compactObject{f.n, body})
}

// aceo patch: see PATCHES.md.

package fpdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"regexp"
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
		var b bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
		zw.Write(data)
		zw.Close()
		data = b.Bytes()
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

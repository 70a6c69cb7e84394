package typeset

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/aceo-project/aceo/pipeline/pdffont"
)

// Producer is written into every PDF's metadata.
const Producer = "aceo (codeberg.org/go-pdf/fpdf)"

// WritePDF writes doc as a PDF. The output depends only on doc and date:
// the same document gives the same bytes.
func WritePDF(w io.Writer, doc *Document, date time.Time) error {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: doc.Width, Ht: doc.Height}})
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCompression(true)
	pdf.SetCompressionLevel(6) // level 9 saves 0.2% more for 10% of the build
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetTitle(doc.Title, true)
	pdf.SetDisplayDocTitle(true) // viewers show the title, not the file name
	pdf.SetSubject(doc.Subject, true)
	pdf.SetAuthor(doc.Author, true)
	pdf.SetKeywords(doc.Keywords, true)
	pdf.SetCreator(doc.Creator, true)
	pdf.SetProducer(Producer, true)
	lang := map[string]string{"zh": "zh-CN"}[doc.Lang] + map[string]string{"en": "en"}[doc.Lang]
	pdf.SetLang(lang)
	setMetadata(pdf, doc, lang, date)
	pdf.SetDisplayMode("fullpage", "TwoPageRight")
	pdf.SetCatalogSort(true)

	pw := &pdfWriter{pdf: pdf, doc: doc, faces: map[*Face]*pdfFace{}, links: map[string]int{}, placed: map[*Image][2]float64{}, images: map[string]string{}}
	if err := pw.registerFaces(); err != nil {
		return err
	}
	pw.registerLinks()
	pw.st = newStructWriter(len(doc.Pages), lang)
	pdf.SetCatalogObjects(pw.st.put)
	pdf.SetLinkAnnotations(pw.st.annotEntries)
	pw.st.annotObj = pdf.LinkAnnotation
	pdf.SetObjectStreams(true) // the structure elements, compressed
	// each image is embedded once, at 300 dpi at the largest size it is
	// placed at
	for _, p := range doc.Pages {
		for i := range p.Items {
			if it := &p.Items[i]; it.Kind == ImageItem && it.Image != nil {
				sz := pw.placed[it.Image]
				pw.placed[it.Image] = [2]float64{max(sz[0], it.W), max(sz[1], it.H)}
			}
		}
	}
	for pi, p := range doc.Pages {
		if err := pw.page(pi+1, p); err != nil {
			return err
		}
	}
	return pdf.Output(w)
}

// pdfWriter writes a document's pages: the faces, links and images
// registered, and the font, colour and spacing in effect on the page.
type pdfWriter struct {
	pdf     *fpdf.Fpdf
	doc     *Document
	faces   map[*Face]*pdfFace
	list    []*Face        // in registration order
	links   map[string]int // destination -> link
	destsOn [][]string     // by page: the destinations on it
	placed  map[*Image][2]float64
	images  map[string]string // name -> type embedded

	text textState
	buf  []byte
	st   *structWriter
}

// registerFaces registers the faces used, in a stable order: each as a
// subset of the glyphs the document draws (pdffont), whose objects are
// written when the document is output, after every page has added its
// glyphs.
func (w *pdfWriter) registerFaces() error {
	for _, p := range w.doc.Pages {
		for i := range p.Items {
			if f := p.Items[i].Face; f != nil {
				if _, ok := w.faces[f]; !ok {
					w.faces[f] = nil
					w.list = append(w.list, f)
				}
			}
		}
	}
	sort.Slice(w.list, func(i, j int) bool { return w.list[i].Path < w.list[j].Path })
	for i, f := range w.list {
		gf, err := f.glyphFont()
		if err != nil {
			return fmt.Errorf("embed font %s: %w", f.Path, err)
		}
		sub := gf.NewSubset()
		w.faces[f] = &pdfFace{name: fmt.Sprintf("G%d", i), face: f, sub: sub}
		w.pdf.AddFontObjects(w.faces[f].name, func(ow *fpdf.ObjectWriter) (int, error) { return sub.Put(ow) })
		if w.pdf.Err() {
			return fmt.Errorf("embed font %s: %w", f.Path, w.pdf.Error())
		}
	}
	return nil
}

// pdfFace is a face's resource name and subset in one document.
type pdfFace struct {
	name string
	face *Face
	sub  *pdffont.Subset
}

// registerLinks makes a link for every internal destination, set on the
// page of the destination when that page is written.
func (w *pdfWriter) registerLinks() {
	var names []string
	for k := range w.doc.Dests {
		names = append(names, k)
	}
	sort.Strings(names)
	w.destsOn = make([][]string, len(w.doc.Pages)+1)
	for _, k := range names {
		w.links[k] = w.pdf.AddLink()
		if d := w.doc.Dests[k]; d.Page >= 1 && d.Page <= len(w.doc.Pages) {
			w.destsOn[d.Page] = append(w.destsOn[d.Page], k)
		}
	}
}

// page writes page number n.
func (w *pdfWriter) page(n int, p *Page) error {
	pdf := w.pdf
	pdf.AddPage()
	for _, k := range w.destsOn[n] {
		pdf.SetLink(w.links[k], w.doc.Dests[k].Y, n)
	}
	for _, o := range p.Outline {
		pdf.Bookmark(utf16Text(o.Title), o.Level, o.Y)
	}
	pdf.SetPageDictExtra(n, fmt.Sprintf("/StructParents %d /Tabs /S", n-1))
	w.text = textState{} // a page's content starts from the default state
	for i := range p.Items {
		it := &p.Items[i]
		if it.Kind != LinkItem {
			w.st.mark(w, n, w.st.tagOf(it))
		}
		if it.Kind != TextItem && it.Kind != LinkItem {
			w.endText()
		}
		if err := w.item(n, it); err != nil {
			return err
		}
	}
	w.st.endPage(w)
	if pdf.Err() {
		return fmt.Errorf("page %d: %w", n, pdf.Error())
	}
	return nil
}

// item writes one item of page n.
func (w *pdfWriter) item(n int, it *Item) error {
	pdf := w.pdf
	switch it.Kind {
	case TextItem:
		if err := w.textItem(it); err != nil {
			return fmt.Errorf("page %d: %w", n, err)
		}
	case RuleItem:
		pdf.SetDrawColor(int(it.Color.R), int(it.Color.G), int(it.Color.B))
		pdf.SetLineWidth(it.LW)
		if len(it.Dash) > 0 {
			pdf.SetDashPattern(it.Dash, 0)
		}
		pdf.Line(it.X, it.Y, it.X+it.W, it.Y+it.H)
		if len(it.Dash) > 0 {
			pdf.SetDashPattern([]float64{}, 0)
		}
	case PolyItem:
		pdf.SetFillColor(int(it.Color.R), int(it.Color.G), int(it.Color.B))
		pts := make([]fpdf.PointType, 0, len(it.Points)/2)
		for i := 0; i+1 < len(it.Points); i += 2 {
			pts = append(pts, fpdf.PointType{X: it.Points[i], Y: it.Points[i+1]})
		}
		if it.LW > 0 {
			// fill and outline in one path
			pdf.SetDrawColor(int(it.Stroke.R), int(it.Stroke.G), int(it.Stroke.B))
			pdf.SetLineWidth(it.LW)
			pdf.Polygon(pts, "FD")
		} else {
			pdf.Polygon(pts, "F")
		}
	case OutlineItem:
		pdf.SetDrawColor(int(it.Color.R), int(it.Color.G), int(it.Color.B))
		pdf.SetLineWidth(it.LW)
		pts := make([]fpdf.PointType, 0, len(it.Points)/2)
		for i := 0; i+1 < len(it.Points); i += 2 {
			pts = append(pts, fpdf.PointType{X: it.Points[i], Y: it.Points[i+1]})
		}
		pdf.Polygon(pts, "D")
	case RectItem:
		pdf.SetFillColor(int(it.Color.R), int(it.Color.G), int(it.Color.B))
		pdf.Rect(it.X, it.Y, it.W, it.H, "F")
	case ImageItem:
		img := it.Image
		typ, ok := w.images[img.Name]
		if !ok {
			sz := w.placed[img]
			var data []byte
			var err error
			if typ, data, err = img.forPrint(sz[0], sz[1]); err != nil {
				return fmt.Errorf("page %d: figure %s: %w", n, img.Name, err)
			}
			pdf.RegisterImageOptionsReader(img.Name, fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(data))
			w.images[img.Name] = typ
		}
		pdf.ImageOptions(img.Name, it.X, it.Y, it.W, it.H, false, fpdf.ImageOptions{ImageType: typ}, 0, "")
	case LinkItem:
		if it.URL != "" {
			pdf.LinkString(it.X, it.Y, it.W, it.H, it.URL)
			w.st.annot(n, it)
		} else if l, ok := w.links[it.Dest]; ok {
			pdf.Link(it.X, it.Y, it.W, it.H, l)
			w.st.annot(n, it)
		}
	}
	return nil
}

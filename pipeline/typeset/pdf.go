package typeset

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"time"

	"codeberg.org/go-pdf/fpdf"
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
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetTitle(doc.Title, true)
	pdf.SetSubject(doc.Subject, true)
	pdf.SetAuthor(doc.Author, true)
	pdf.SetKeywords(doc.Keywords, true)
	pdf.SetCreator(doc.Creator, true)
	pdf.SetProducer(Producer, true)
	pdf.SetLang(map[string]string{"zh": "zh-CN"}[doc.Lang] + map[string]string{"en": "en"}[doc.Lang])
	pdf.SetDisplayMode("fullpage", "TwoPageRight")
	pdf.SetCatalogSort(true)

	// Register the faces used, in a stable order. The library only reads
	// the font bytes (every change it makes while subsetting goes to a
	// copy), so documents share one Face's bytes; TestFontBytesUnchanged
	// holds it to that.
	faces := map[*Face]string{}
	var list []*Face
	for _, p := range doc.Pages {
		for i := range p.Items {
			if f := p.Items[i].Face; f != nil {
				if _, ok := faces[f]; !ok {
					faces[f] = ""
					list = append(list, f)
				}
			}
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	for i, f := range list {
		name := fmt.Sprintf("F%d", i)
		faces[f] = name
		pdf.AddUTF8FontFromBytes(name, "", f.Data)
		if pdf.Err() {
			return fmt.Errorf("embed font %s: %w", f.Path, pdf.Error())
		}
	}
	// internal links, set on the page of their destination
	links := map[string]int{}
	var names []string
	for k := range doc.Dests {
		names = append(names, k)
	}
	sort.Strings(names)
	destsOn := make([][]string, len(doc.Pages)+1)
	for _, k := range names {
		links[k] = pdf.AddLink()
		if d := doc.Dests[k]; d.Page >= 1 && d.Page <= len(doc.Pages) {
			destsOn[d.Page] = append(destsOn[d.Page], k)
		}
	}
	// each image is embedded once, at 300 dpi at the largest size it is
	// placed at
	placed := map[*Image][2]float64{}
	for _, p := range doc.Pages {
		for i := range p.Items {
			if it := &p.Items[i]; it.Kind == ImageItem && it.Image != nil {
				sz := placed[it.Image]
				placed[it.Image] = [2]float64{max(sz[0], it.W), max(sz[1], it.H)}
			}
		}
	}
	images := map[string]string{} // name -> type embedded
	var curFace *Face
	var curSize float64
	var curColor Color
	colorSet := false
	var curSpacing float64
	setFont := func(f *Face, size float64) {
		if f != curFace || size != curSize {
			pdf.SetFont(faces[f], "", size)
			curFace, curSize = f, size
		}
	}
	for pi, p := range doc.Pages {
		pdf.AddPage()
		curFace, curSize, colorSet = nil, 0, false
		curSpacing = 0
		for _, k := range destsOn[pi+1] {
			pdf.SetLink(links[k], doc.Dests[k].Y, pi+1)
		}
		for _, o := range p.Outline {
			if len(list) > 0 {
				setFont(list[0], 10)
			}
			pdf.Bookmark(o.Title, o.Level, o.Y)
		}
		for i := range p.Items {
			it := &p.Items[i]
			switch it.Kind {
			case TextItem:
				setFont(it.Face, it.Size)
				if !colorSet || it.Color != curColor {
					pdf.SetTextColor(int(it.Color.R), int(it.Color.G), int(it.Color.B))
					curColor, colorSet = it.Color, true
				}
				if it.Spacing != curSpacing {
					pdf.RawWriteStr(fmt.Sprintf("%.3f Tc\n", it.Spacing))
					curSpacing = it.Spacing
				}
				if len(it.Parts) > 0 {
					pdf.TextRuns(it.X, it.Y, it.Parts, it.Gaps)
				} else {
					pdf.Text(it.X, it.Y, it.Text)
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
				pdf.Polygon(pts, "F")
			case RectItem:
				pdf.SetFillColor(int(it.Color.R), int(it.Color.G), int(it.Color.B))
				pdf.Rect(it.X, it.Y, it.W, it.H, "F")
			case ImageItem:
				img := it.Image
				typ, ok := images[img.Name]
				if !ok {
					sz := placed[img]
					var data []byte
					var err error
					if typ, data, err = img.forPrint(sz[0], sz[1]); err != nil {
						return fmt.Errorf("page %d: figure %s: %w", pi+1, img.Name, err)
					}
					pdf.RegisterImageOptionsReader(img.Name, fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(data))
					images[img.Name] = typ
				}
				pdf.ImageOptions(img.Name, it.X, it.Y, it.W, it.H, false, fpdf.ImageOptions{ImageType: typ}, 0, "")
			case LinkItem:
				if it.URL != "" {
					pdf.LinkString(it.X, it.Y, it.W, it.H, it.URL)
				} else if l, ok := links[it.Dest]; ok {
					pdf.Link(it.X, it.Y, it.W, it.H, l)
				}
			}
		}
		if curSpacing != 0 {
			pdf.RawWriteStr("0 Tc\n")
		}
		if pdf.Err() {
			return fmt.Errorf("page %d: %w", pi+1, pdf.Error())
		}
	}
	return pdf.Output(w)
}

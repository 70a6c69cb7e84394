// Package figure checks the images authors submit as figures and prepares
// them for print.
//
// Check is the one verdict on a figure, used at submission, by validate and
// by the build: the file must be a PNG or a JPEG whose size is within
// MaxPixels and MaxDecodedBytes (read from its header before any pixel is
// decoded), and whose pixel data decodes completely. ForPrint turns a
// checked image into what the PDF embeds: the file itself when it is
// already an 8-bit, non-interlaced PNG or an RGB or grey JPEG no finer than
// PrintDPI at its placed size, otherwise a converted copy downsampled to
// PrintDPI.
package figure

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"strings"

	"golang.org/x/image/draw"
)

const (
	// MaxPixels is the most pixels a figure may have (40 megapixels: an
	// A4 page at 600 dpi is 35).
	MaxPixels = 40_000_000
	// MaxDecodedBytes bounds the memory one decoded figure takes.
	MaxDecodedBytes = 192 << 20
	// PrintDPI is the resolution figures are embedded at, at most.
	PrintDPI = 300
)

// Accepted names the formats figures may have, for messages.
const Accepted = "PNG or JPEG"

// Info describes a checked figure.
type Info struct {
	Format string // "png" or "jpeg"
	W, H   int    // pixels
}

// Error is a figure that cannot be used, with what to do about it.
type Error struct {
	Msg, Hint string
}

func (e *Error) Error() string { return e.Msg }

func refuse(hint, format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...), Hint: hint}
}

const exportHint = "export the figure as PNG (or JPEG for photographs) at 300 dpi at its printed size"

// Check decodes data completely and returns its format and size, or an
// *Error that says what is wrong. Its cost is bounded: the size the header
// declares is checked before any pixel is decoded.
func Check(data []byte) (Info, error) {
	info, err := header(data)
	if err != nil {
		return Info{}, err
	}
	if _, err := decodeAll(info.Format, data); err != nil {
		return Info{}, err
	}
	return info, nil
}

// header reads the format and size from the file's header and checks
// them against the limits, before any pixel is decoded.
func header(data []byte) (Info, error) {
	if other := sniff(data); other != "" {
		if other == "SVG" {
			return Info{}, refuse("export it as PNG at 300 dpi at its printed size; SVG is not accepted yet",
				"the file is an SVG drawing; figures are %s images", Accepted)
		}
		return Info{}, refuse(exportHint, "the file is a %s image; figures are %s", other, Accepted)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if len(data) == 0 {
			return Info{}, refuse(exportHint, "the file is empty")
		}
		if errors.Is(err, image.ErrFormat) {
			return Info{}, refuse(exportHint, "the file is not a %s image", Accepted)
		}
		return Info{}, refuse(exportHint, "the image header is unreadable (%v); the file is damaged or truncated", err)
	}
	if format != "png" && format != "jpeg" {
		return Info{}, refuse(exportHint, "the file is a %s image; figures are %s", strings.ToUpper(format), Accepted)
	}
	info := Info{Format: format, W: cfg.Width, H: cfg.Height}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, refuse(exportHint, "the image declares %d×%d pixels", cfg.Width, cfg.Height)
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	if px > MaxPixels {
		return Info{}, refuse("export it at 300 dpi at its printed size: a full A4 page is 2480×3508 pixels",
			"the image is %d×%d pixels (%.0f megapixels), more than the %d allowed", cfg.Width, cfg.Height, float64(px)/1e6, MaxPixels/1_000_000)
	}
	if px*int64(bytesPerPixel(cfg.ColorModel)) > MaxDecodedBytes {
		return Info{}, refuse("export it with 8 bits per channel, or at fewer pixels",
			"the image is %d×%d pixels at %d bytes each: more than %d MB once decoded", cfg.Width, cfg.Height, bytesPerPixel(cfg.ColorModel), MaxDecodedBytes>>20)
	}
	return info, nil
}

// decodeAll decodes the whole image and checks that nothing is missing.
func decodeAll(format string, data []byte) (image.Image, error) {
	img, err := decode(format, data)
	if err != nil {
		return nil, err
	}
	if format == "jpeg" && !jpegComplete(data) {
		return nil, refuse("export the figure again; the file was cut short, perhaps by an interrupted copy or download",
			"the image is truncated: its pixel data ends early")
	}
	return img, nil
}

// decode decodes the whole image; a short or damaged stream is an *Error.
func decode(format string, data []byte) (image.Image, error) {
	var img image.Image
	var err error
	if format == "png" {
		img, err = png.Decode(bytes.NewReader(data))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(data))
	}
	switch {
	case err == nil:
		return img, nil
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), strings.Contains(err.Error(), "not enough pixel data"),
		strings.Contains(err.Error(), "missing IDAT"), strings.Contains(err.Error(), "no IDAT"):
		return nil, refuse("export the figure again; the file was cut short, perhaps by an interrupted copy or download",
			"the image is truncated: its pixel data ends early")
	default:
		return nil, refuse("export the figure again from the program that made it",
			"the image data is damaged: %v", err)
	}
}

// jpegComplete reports whether a JPEG's last scan is followed by its end
// marker. The decoder shows a progressive JPEG cut short as far as it
// goes; in entropy-coded data a 0xFF byte is always followed by 0x00 or a
// restart marker, so the end marker cannot appear there by chance.
//
// A progressive JPEG must also bring every coefficient of every component
// to full precision: a file whose last scans are missing but which ends
// with an end marker would otherwise print as a blurred image.
func jpegComplete(data []byte) bool {
	sos := bytes.LastIndex(data, []byte{0xff, 0xda})
	eoi := bytes.LastIndex(data, []byte{0xff, 0xd9})
	if sos < 0 || eoi < sos {
		return false
	}
	progressive := false
	var comps []byte
	done := map[byte]*[64]bool{}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			i++
			continue
		}
		m := data[i+1]
		switch {
		case m == 0xff || m == 0x00 || m >= 0xd0 && m <= 0xd7 || m == 0x01:
			i++
			continue
		case m == 0xd9:
			i = len(data)
			continue
		}
		n := int(data[i+2])<<8 | int(data[i+3])
		seg := data[min(i+4, len(data)):min(i+2+n, len(data))]
		switch {
		case m == 0xc2 || m == 0xc6 || m == 0xca || m == 0xce:
			progressive = true
			fallthrough
		case m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc:
			if len(seg) >= 6 {
				for c := 0; c < int(seg[5]) && 6+3*c < len(seg); c++ {
					comps = append(comps, seg[6+3*c])
				}
			}
		case m == 0xda && len(seg) >= 1:
			ns := int(seg[0])
			if len(seg) < 1+2*ns+3 {
				return false
			}
			ss, se, al := int(seg[1+2*ns]), int(seg[2+2*ns]), seg[3+2*ns]&0x0f
			for c := 0; c < ns; c++ {
				id := seg[1+2*c]
				if done[id] == nil {
					done[id] = new([64]bool)
				}
				for k := ss; k <= se && k < 64; k++ {
					if al == 0 {
						done[id][k] = true
					}
				}
			}
		}
		i += 2 + n
	}
	if !progressive {
		return true
	}
	for _, id := range comps {
		d := done[id]
		if d == nil {
			return false
		}
		for _, ok := range d {
			if !ok {
				return false
			}
		}
	}
	return true
}

// sniff names formats that are not accepted, from their first bytes.
func sniff(data []byte) string {
	head := data[:min(len(data), 512)]
	trim := bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")
	switch {
	case bytes.HasPrefix(trim, []byte("<svg")), bytes.HasPrefix(trim, []byte("<?xml")) && bytes.Contains(head, []byte("<svg")),
		bytes.HasPrefix(trim, []byte("<!DOCTYPE svg")), bytes.HasPrefix(trim, []byte("<!-- ")) && bytes.Contains(head, []byte("<svg")):
		return "SVG"
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "PDF"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "GIF"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "WebP"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "TIFF"
	case bytes.HasPrefix(data, []byte("BM")) && len(data) > 14:
		return "BMP"
	case len(data) >= 12 && string(data[4:8]) == "ftyp" && (string(data[8:12]) == "avif" || string(data[8:12]) == "heic" || string(data[8:12]) == "mif1"):
		return "HEIF/AVIF"
	case bytes.HasPrefix(data, []byte("%!PS")):
		return "PostScript"
	}
	return ""
}

// bytesPerPixel is what the Go decoders allocate per pixel for a model.
func bytesPerPixel(m color.Model) int {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// ForPrint returns the image type ("png" or "jpg") and the bytes to embed
// for a checked image placed at wPt×hPt points: the file itself when a PDF
// can hold it as it is and it is no finer than PrintDPI, otherwise an 8-bit
// copy (PNG for PNG, JPEG for JPEG) downsampled to PrintDPI. The result is
// the same for the same input.
func ForPrint(data []byte, wPt, hPt float64) (typ string, out []byte, err error) {
	info, err := header(data)
	if err != nil {
		return "", nil, err
	}
	tw, th := target(info.W, info.H, wPt, hPt)
	embeddable := pngEmbeddable(data)
	if info.Format == "jpeg" {
		embeddable = jpegEmbeddable(data)
	}
	typ = map[string]string{"png": "png", "jpeg": "jpg"}[info.Format]
	if embeddable && tw == info.W && th == info.H {
		return typ, data, nil
	}
	img, err := decodeAll(info.Format, data)
	if err != nil {
		return "", nil, err
	}
	img = shrink(img, tw, th)
	var buf bytes.Buffer
	if info.Format == "jpeg" {
		dst := image.NewRGBA(image.Rect(0, 0, tw, th))
		scale(dst, img)
		err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 92})
	} else {
		var dst draw.Image
		if isGray(img) {
			dst = image.NewGray(image.Rect(0, 0, tw, th))
		} else {
			dst = image.NewNRGBA(image.Rect(0, 0, tw, th))
		}
		scale(dst, img)
		err = png.Encode(&buf, dst)
	}
	if err != nil {
		return "", nil, fmt.Errorf("converting the figure for print: %w", err)
	}
	return typ, buf.Bytes(), nil
}

// target is the pixel size to embed: the image's own, or less so that it
// is no finer than PrintDPI at wPt×hPt points (never more).
func target(w, h int, wPt, hPt float64) (int, int) {
	if wPt <= 0 || hPt <= 0 {
		return w, h
	}
	maxW := int(math.Ceil(wPt / 72 * PrintDPI))
	maxH := int(math.Ceil(hPt / 72 * PrintDPI))
	if w <= maxW && h <= maxH {
		return w, h
	}
	f := math.Min(float64(maxW)/float64(w), float64(maxH)/float64(h))
	return max(1, int(math.Round(float64(w)*f))), max(1, int(math.Round(float64(h)*f)))
}

// shrink averages blocks of k×k pixels of an image at least twice the
// target size, k the largest whole factor that keeps it at the target
// size or more, so that the filter that follows works on a small image:
// memory and time linear in the pixels, read a row at a time. Other
// images are returned as they are.
func shrink(src image.Image, tw, th int) image.Image {
	b := src.Bounds()
	k := min(b.Dx()/tw, b.Dy()/th)
	if k < 2 {
		return src
	}
	w, h := b.Dx()/k, b.Dy()/k
	gray := isGray(src)
	ch := 4
	if gray {
		ch = 1
	}
	sums := make([]uint32, w*ch)
	row := image.NewRGBA(image.Rect(0, 0, b.Dx(), 1))
	var out draw.Image
	if gray {
		out = image.NewGray(image.Rect(0, 0, w, h))
	} else {
		out = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	n := uint32(k * k)
	for oy := 0; oy < h; oy++ {
		clear(sums)
		for dy := 0; dy < k; dy++ {
			y := b.Min.Y + oy*k + dy
			switch g := src.(type) {
			case *image.Gray:
				line := g.Pix[g.PixOffset(b.Min.X, y):]
				for ox := 0; ox < w; ox++ {
					for dx := 0; dx < k; dx++ {
						sums[ox] += uint32(line[ox*k+dx])
					}
				}
			case *image.Gray16:
				line := g.Pix[g.PixOffset(b.Min.X, y):]
				for ox := 0; ox < w; ox++ {
					for dx := 0; dx < k; dx++ {
						sums[ox] += uint32(line[2*(ox*k+dx)])
					}
				}
			default:
				// one row in premultiplied RGBA, through draw's fast paths
				draw.Draw(row, row.Bounds(), src, image.Pt(b.Min.X, y), draw.Src)
				for ox := 0; ox < w; ox++ {
					for dx := 0; dx < k; dx++ {
						p := row.Pix[4*(ox*k+dx):]
						sums[4*ox] += uint32(p[0])
						sums[4*ox+1] += uint32(p[1])
						sums[4*ox+2] += uint32(p[2])
						sums[4*ox+3] += uint32(p[3])
					}
				}
			}
		}
		switch o := out.(type) {
		case *image.Gray:
			for ox := 0; ox < w; ox++ {
				o.Pix[oy*o.Stride+ox] = uint8((sums[ox] + n/2) / n)
			}
		case *image.RGBA:
			for i := 0; i < 4*w; i++ {
				o.Pix[oy*o.Stride+i] = uint8((sums[i] + n/2) / n)
			}
		}
	}
	return out
}

func scale(dst draw.Image, src image.Image) {
	if dst.Bounds().Size() == src.Bounds().Size() {
		draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Src)
		return
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
}

func isGray(img image.Image) bool {
	switch img.(type) {
	case *image.Gray, *image.Gray16:
		return true
	}
	return false
}

// pngEmbeddable reports whether the PDF writer takes the PNG as it is:
// at most 8 bits per channel and not interlaced.
func pngEmbeddable(data []byte) bool {
	// signature (8), IHDR length and type (8), width, height (8), then
	// bit depth, colour type, compression, filter, interlace
	if len(data) < 29 || string(data[12:16]) != "IHDR" {
		return false
	}
	return data[24] <= 8 && data[28] == 0
}

// jpegEmbeddable reports whether the PDF writer takes the JPEG as it is:
// grey or YCbCr (CMYK files are often stored inverted and are converted).
func jpegEmbeddable(data []byte) bool {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	return err == nil && (cfg.ColorModel == color.GrayModel || cfg.ColorModel == color.YCbCrModel)
}

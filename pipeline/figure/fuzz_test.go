package figure

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCheck: any file is accepted or refused with a figure error, never a
// panic; an accepted one is within the pixel limit, and what ForPrint
// makes of it is accepted too.
func FuzzCheck(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.png")
	jpegs, _ := filepath.Glob("testdata/*.jpeg")
	for _, file := range append(files, jpegs...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	f.Add(b.Bytes())
	b.Reset()
	jpeg.Encode(&b, img, nil)
	f.Add(b.Bytes())
	b.Reset()
	png.Encode(&b, image.NewPaletted(image.Rect(0, 0, 9, 9), color.Palette{color.Black, color.White}))
	f.Add(b.Bytes())
	f.Add(pngHeader(50000, 50000, 6, true))
	f.Add([]byte("<svg/>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Check(data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("not a figure error: %T %v", err, err)
			}
			return
		}
		if info.W <= 0 || info.H <= 0 || int64(info.W)*int64(info.H) > MaxPixels {
			t.Fatalf("accepted %+v", info)
		}
		typ, out, err := ForPrint(data, 72, 72)
		if err != nil {
			t.Fatalf("accepted, but not prepared for print: %v", err)
		}
		if (typ == "png") != (info.Format == "png") {
			t.Fatalf("a %s became %s", info.Format, typ)
		}
		if _, err := Check(out); err != nil {
			t.Fatalf("what ForPrint made is refused: %v", err)
		}
	})
}

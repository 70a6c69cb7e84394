package figure

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

// bigPNG is a 6000×6000 RGB PNG (36 megapixels, just under MaxPixels).
func bigPNG(b *testing.B) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 6000, 6000))
	for i := range img.Pix {
		img.Pix[i] = byte(i / 4000)
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkCheck36MP: the submission check of a figure at the pixel limit.
func BenchmarkCheck36MP(b *testing.B) {
	data := bigPNG(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Check(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForPrint36MP: the same figure placed across the text (6.5
// inches), embedded at 300 dpi (1950 pixels wide).
func BenchmarkForPrint36MP(b *testing.B) {
	data := bigPNG(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := ForPrint(data, 6.5*72, 6.5*72); err != nil {
			b.Fatal(err)
		}
	}
}

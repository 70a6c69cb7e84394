package build

import (
	"bytes"
	"context"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// embeddedImages lists the pixel sizes of the images a PDF embeds.
func embeddedImages(pdf []byte) [][2]int {
	var out [][2]int
	re := regexp.MustCompile(`/Subtype /Image\s*/Width (\d+)\s*/Height (\d+)`)
	for _, m := range re.FindAllSubmatch(pdf, -1) {
		w, _ := strconv.Atoi(string(m[1]))
		h, _ := strconv.Atoi(string(m[2]))
		out = append(out, [2]int{w, h})
	}
	return out
}

func TestFiguresDownsampledTo300DPI(t *testing.T) {
	dir := sampleCopy(t)
	// the sample's figure at 6000×2800 pixels: 40 inches wide at 150 dpi
	img := image.NewNRGBA(image.Rect(0, 0, 6000, 2800))
	for y := 0; y < 2800; y++ {
		for x := 0; x < 6000; x++ {
			img.Set(x, y, color.NRGBA{uint8(x / 24), uint8(y / 12), uint8((x + y) / 40), 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	if err := os.WriteFile(filepath.Join(dir, "figures", "forest-trend.png"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	opt := testOptions()
	opt.Languages = []string{"en"}
	res, err := Run(context.Background(), Request{Dir: dir, Preview: true, Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	var pdf []byte
	for _, f := range res.Files {
		if f.Name == "aceo-sample-en.pdf" {
			pdf = f.Data
		}
	}
	imgs := embeddedImages(pdf)
	if len(imgs) == 0 {
		t.Fatal("no image embedded")
	}
	for _, wh := range imgs {
		// the text block is at most 6.5 inches wide: 1950 pixels at 300 dpi
		if wh[0] > 1950 || wh[0] < 1000 || wh[0]*2800/6000 > wh[1]+1 || wh[0]*2800/6000 < wh[1]-1 {
			t.Errorf("embedded at %d×%d pixels; want the 6000×2800 figure at 300 dpi of its placed width", wh[0], wh[1])
		}
	}
}

func TestFiguresConvertedForPrint(t *testing.T) {
	dir := sampleCopy(t)
	// an interlaced PNG: the PDF writer cannot take it as it is
	data, err := os.ReadFile("../figure/testdata/benchRGB-interlace.png")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "figures", "forest-trend.png"), data, 0o644)
	opt := testOptions()
	opt.Languages = []string{"en"}
	res, err := Run(context.Background(), Request{Dir: dir, Preview: true, Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) == 0 || len(embeddedImages(res.Files[0].Data)) == 0 {
		t.Fatal("no image embedded")
	}
}

func TestBadFiguresRefusedByTheBuild(t *testing.T) {
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"huge header": {pngHeader(50000, 50000), "figure \"figures/forest-trend.png\": the image is 50000×50000 pixels (2500 megapixels), more than the 40 allowed"},
		"svg":         {[]byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "SVG drawing; figures are PNG or JPEG images"},
	} {
		dir := sampleCopy(t)
		os.WriteFile(filepath.Join(dir, "figures", "forest-trend.png"), c.data, 0o644)
		res, err := Run(context.Background(), Request{Dir: dir, Preview: true, Options: testOptions()})
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if res != nil && res.Report != nil {
			for _, p := range res.Report.Errors {
				msg += "\n" + p.Message
			}
		}
		if !strings.Contains(msg, c.want) {
			t.Errorf("%s: %s\nwant %q", name, msg, c.want)
		}
	}
}

// pngHeader is a PNG of only a header claiming w×h RGB pixels.
func pngHeader(w, h int) []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	data := b.Bytes()
	data[16], data[17], data[18], data[19] = byte(w>>24), byte(w>>16), byte(w>>8), byte(w)
	data[20], data[21], data[22], data[23] = byte(h>>24), byte(h>>16), byte(h>>8), byte(h)
	crc := crc32.ChecksumIEEE(data[12:29])
	data[29], data[30], data[31], data[32] = byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc)
	return data
}

package figure

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// pngHeader is a PNG that has only a signature and an IHDR declaring w×h
// pixels of the colour type, bit depth 8: 33 bytes, plus an empty IDAT and
// IEND when full is set.
func pngHeader(w, h uint32, colorType byte, full bool) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, colorType
	chunk("IHDR", ihdr)
	if full {
		chunk("IDAT", nil)
		chunk("IEND", nil)
	}
	return b.Bytes()
}

// refusedCheaply checks data is refused with a message containing want,
// allocating less than maxAlloc bytes and within a second.
func refusedCheaply(t *testing.T, name string, data []byte, want string, maxAlloc uint64) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := Check(data)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("%s: accepted or not a figure error: %v", name, err)
	}
	if !strings.Contains(fe.Msg, want) || fe.Hint == "" {
		t.Errorf("%s: message %q (hint %q), want %q and a hint", name, fe.Msg, fe.Hint, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxAlloc {
		t.Errorf("%s: refusing took %d bytes, more than %d", name, alloc, maxAlloc)
	}
	if took > time.Second {
		t.Errorf("%s: refusing took %v", name, took)
	}
}

func TestHugeDeclaredSizeRefusedBeforeDecoding(t *testing.T) {
	tiny := pngHeader(50000, 50000, 6, true) // 65 bytes
	if len(tiny) != 57 && len(tiny) != 65 {
		t.Logf("header PNG is %d bytes", len(tiny))
	}
	refusedCheaply(t, "50,000² RGBA", tiny, "50000×50000 pixels (2500 megapixels), more than the 40 allowed", 1<<20)
	refusedCheaply(t, "20,000² RGBA", pngHeader(20000, 20000, 6, true), "more than the 40 allowed", 1<<20)
	refusedCheaply(t, "40,000² grey", pngHeader(40000, 40000, 0, true), "1600 megapixels", 1<<20)
	refusedCheaply(t, "zero width", pngHeader(0, 10, 0, true), "", 1<<20)
}

func TestDamagedFilesRefused(t *testing.T) {
	for file, want := range map[string]string{
		"video-001.progressive.truncated.jpeg": "truncated",
		"invalid-trunc.png":                    "truncated",
		"invalid-noend.png":                    "truncated",
		"invalid-zlib.png":                     "damaged",
	} {
		data, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		refusedCheaply(t, file, data, want, 8<<20)
	}
	// a header with no pixel data at all
	refusedCheaply(t, "no IDAT", pngHeader(100, 100, 2, false), "truncated", 1<<20)
	refusedCheaply(t, "empty IDAT", pngHeader(100, 100, 2, true), "", 1<<20)
	// a real PNG cut in the middle of its pixel data
	var b bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 300, 300))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	png.Encode(&b, img)
	refusedCheaply(t, "cut PNG", b.Bytes()[:b.Len()/2], "truncated", 8<<20)
}

func TestOtherFormatsNamed(t *testing.T) {
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"svg":      {[]byte(`<?xml version="1.0"?>` + "\n" + `<svg xmlns="http://www.w3.org/2000/svg"></svg>`), "SVG drawing; figures are PNG or JPEG"},
		"bare svg": {[]byte(`<svg viewBox="0 0 10 10"/>`), "SVG"},
		"gif":      {[]byte("GIF89a\x01\x00\x01\x00"), "GIF image; figures are PNG or JPEG"},
		"pdf":      {[]byte("%PDF-1.7\n"), "PDF"},
		"webp":     {[]byte("RIFF\x00\x00\x00\x00WEBPVP8 "), "WebP"},
		"tiff":     {[]byte("II*\x00\x08\x00\x00\x00"), "TIFF"},
		"text":     {[]byte("hello"), "not a PNG or JPEG image"},
		"empty":    {nil, "empty"},
	} {
		refusedCheaply(t, name, c.data, c.want, 1<<20)
	}
}

func TestGoodImagesAccepted(t *testing.T) {
	for _, file := range []string{"gray-gradient.interlaced.png", "benchRGB-interlace.png", "basn0g16.png", "basn6a16.png", "video-001.progressive.jpeg", "video-001.cmyk.jpeg"} {
		data, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		info, err := Check(data)
		if err != nil || info.W == 0 {
			t.Errorf("%s: %v %+v", file, err, info)
		}
	}
	sample, err := os.ReadFile("../../chapters/aceo-sample/figures/forest-trend.png")
	if err != nil {
		t.Fatal(err)
	}
	if info, err := Check(sample); err != nil || info.W != 1200 {
		t.Errorf("sample figure: %v %+v", err, info)
	}
}

// embed puts an image in a one-page PDF, as the typesetter does.
func embed(typ string, data []byte) error {
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.AddPage()
	pdf.RegisterImageOptionsReader("x", fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(data))
	pdf.ImageOptions("x", 10, 10, 100, 100, false, fpdf.ImageOptions{ImageType: typ}, 0, "")
	var out bytes.Buffer
	return pdf.Output(&out)
}

func TestForPrintConvertsWhatPDFCannotHold(t *testing.T) {
	for _, file := range []string{"gray-gradient.interlaced.png", "benchRGB-interlace.png", "basn0g16.png", "basn6a16.png", "video-001.cmyk.jpeg"} {
		data, _ := os.ReadFile("testdata/" + file)
		typ := "png"
		if strings.HasSuffix(file, ".jpeg") {
			typ = "jpg"
		}
		if strings.Contains(file, "interlace") && embed(typ, data) == nil {
			t.Errorf("%s: the PDF writer takes it as it is, so the test shows nothing", file)
		}
		gotTyp, out, err := ForPrint(data, 400, 400)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if gotTyp != typ || bytes.Equal(out, data) {
			t.Errorf("%s: not converted (%s)", file, gotTyp)
		}
		if err := embed(gotTyp, out); err != nil {
			t.Errorf("%s: converted image not embeddable: %v", file, err)
		}
		if typ == "png" && (out[24] != 8 || out[28] != 0) {
			t.Errorf("%s: converted to bit depth %d, interlace %d; want 8-bit, not interlaced", file, out[24], out[28])
		}
		in, _ := Check(data)
		conv, err := Check(out)
		if err != nil || conv.W != in.W || conv.H != in.H {
			t.Errorf("%s: converted %+v, was %+v (%v)", file, conv, in, err)
		}
		_, again, _ := ForPrint(data, 400, 400)
		if !bytes.Equal(out, again) {
			t.Errorf("%s: conversion is not deterministic", file)
		}
	}
}

func TestForPrintDownsamplesTo300DPI(t *testing.T) {
	// 6000×3000 pixels placed 4×2 inches: 1200×600 at 300 dpi
	img := image.NewGray(image.Rect(0, 0, 6000, 3000))
	for y := 0; y < 3000; y++ {
		for x := 0; x < 6000; x++ {
			img.SetGray(x, y, color.Gray{Y: uint8((x/50 + y/50) % 2 * 255)})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	typ, out, err := ForPrint(b.Bytes(), 4*72, 2*72)
	if err != nil {
		t.Fatal(err)
	}
	info, err := Check(out)
	if err != nil || typ != "png" || info.W != 1200 || info.H != 600 {
		t.Fatalf("downsampled to %+v (%s, %v), want 1200×600 PNG", info, typ, err)
	}
	dec, _ := png.Decode(bytes.NewReader(out))
	if _, ok := dec.(*image.Gray); !ok {
		t.Errorf("a grey figure became %T", dec)
	}
	// placed larger than 300 dpi needs: kept as it is
	typ, same, err := ForPrint(b.Bytes(), 20*72, 10*72)
	if err != nil || !bytes.Equal(same, b.Bytes()) {
		t.Errorf("a figure at 300 dpi or less was changed (%s, %v)", typ, err)
	}
}

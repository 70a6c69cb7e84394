package progress

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func exercise(r Reporter) {
	r.Stage("render en, zh")
	for i := 1; i <= 60; i++ {
		r.Pages("en", i)
	}
	r.EditionDone("en", 64)
	r.EditionDone("zh", 58)
	c := r.Transfer("aceo-sample-en.pdf", 300000)
	rd := Reader(bytes.NewReader(make([]byte, 300000)), c)
	io.Copy(io.Discard, rd)
	rd.Seek(0, io.SeekStart)
	io.Copy(io.Discard, rd)
	c.Done()
	r.Close()
}

// TestLines: off a terminal, one plain line per stage, every 25 pages,
// each edition's end and each upload with its bytes.
func TestLines(t *testing.T) {
	var buf bytes.Buffer
	exercise(NewLines(&buf))
	out := buf.String()
	for _, want := range []string{"render en, zh", "render en: 25 pages laid out", "render en: 50 pages laid out", "render en: done, 64 pages", "render zh: done, 58 pages", "upload aceo-sample-en.pdf: 300000 of 300000 bytes"} {
		if !strings.Contains(out, want) {
			t.Errorf("lines lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("escape sequences in plain lines")
	}
}

// TestBars: on a terminal, bars with the pages of each edition and the
// bytes of each upload.
func TestBars(t *testing.T) {
	var buf bytes.Buffer
	exercise(NewBars(&buf, true))
	out := buf.String()
	for _, want := range []string{"render en, zh", "render en", "64 pages", "58 pages", "aceo-sample-en.pdf", "293.0 KiB / 293.0 KiB"} {
		if !strings.Contains(out, want) {
			t.Errorf("bars lack %q:\n%q", want, out)
		}
	}
}

// TestNop: quiet reports nothing, and For picks lines for a buffer.
func TestNop(t *testing.T) {
	exercise(Nop{})
	var buf bytes.Buffer
	if _, ok := For(&buf, false).(*Lines); !ok {
		t.Error("For(buffer) is not Lines")
	}
	if _, ok := For(&buf, true).(Nop); !ok {
		t.Error("For(quiet) is not Nop")
	}
}

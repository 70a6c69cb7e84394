package manuscript

import (
	"fmt"
	"strings"
	"testing"
)

// TestFrontLineAgrees: the line FrontLine gives a field is the line the
// parser reports it at, with a byte-order mark and CRLF line ends too,
// and 1 for a field that is not there.
func TestFrontLineAgrees(t *testing.T) {
	for _, data := range []string{
		"---\npublication: p\nchapter: c\ntitle: T\nauthors: [A]\nlang: xx\n---\nText.\n",
		"\xef\xbb\xbf---\r\npublication: p\r\nchapter: c\r\n\r\ntitle: T\r\nauthors: [A]\r\nlang: xx\r\n---\r\nText.\r\n",
	} {
		_, err := Parse("d.md", []byte(data))
		want := fmt.Sprintf("d.md:%d: language \"xx\"", FrontLine([]byte(data), "lang"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parse says %v; FrontLine says %q", err, want)
		}
		if n := FrontLine([]byte(data), "translated_from"); n != 1 {
			t.Errorf("a missing field is at line %d, want 1", n)
		}
	}
	if n := FrontLine([]byte("---\npublication: p\nlang: en\n"), "lang"); n != 3 {
		t.Errorf("unclosed front matter: lang at %d, want 3", n)
	}
}

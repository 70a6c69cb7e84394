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

// TestIsWide: East Asian Wide and Fullwidth characters are wide; narrow,
// halfwidth and ambiguous ones (the dash and curly quotes, which the
// typesetter places on the grid itself) are not.
func TestIsWide(t *testing.T) {
	for _, r := range "中文。，（）“０　あ" {
		if want := r != '“'; IsWide(r) != want {
			t.Errorf("IsWide(%q) = %v", r, !want)
		}
	}
	for _, r := range "a1,—·ｱ" {
		if IsWide(r) {
			t.Errorf("IsWide(%q) = true", r)
		}
	}
}

// TestCJKEmphasis: emphasis beside Chinese punctuation is found by the
// parser's own delimiter rules (the CJK-friendly proposal), so an escaped
// asterisk stays literal, and English keeps CommonMark's rules.
func TestCJKEmphasis(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"**制定标准。**接近目标", "[制定标准。]接近目标"},
		{"这是**“重点”**内容", "这是[“重点”]内容"},
		{"写作\\*\\*强调\\*\\*不加粗", "写作**强调**不加粗"},
		{"写作\\*\\*强调**不加粗", "写作**强调**不加粗"},
		{"In 5 * 3 * 2 the stars stay, **bold** is bold.", "In 5 * 3 * 2 the stars stay, [bold] is bold."},
		{"**Note:**next, as CommonMark has it", "**Note:**next, as CommonMark has it"},
		{"a **b。**c", "a [b。]c"},
	} {
		ch, err := Parse("x.md", []byte("---\npublication: p\nchapter: c\nlang: zh\ntitle: T\nauthors: [A]\ntranslated_from: sha256:"+strings.Repeat("0", 64)+"\n---\n"+c.in+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, s := range ch.Blocks[0].(*Paragraph).Content {
			if s.Style&Bold != 0 {
				got += "[" + s.Text + "]"
			} else {
				got += s.Text
			}
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

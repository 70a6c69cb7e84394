package hyphen

import (
	"testing"
)

func load(t *testing.T) *Patterns {
	t.Helper()
	path, err := Find("hyph_en_US.dic", DefaultDirs)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEnglish(t *testing.T) {
	p := load(t)
	for word, want := range map[string]string{
		"hyphenation":   "hy-phen-ation",
		"cooperation":   "co-op-er-a-tion",
		"environment":   "en-vi-ron-ment",
		"institutions":  "in-sti-tu-tions",
		"Environmental": "En-vi-ron-men-tal",
		"the":           "the",
		"data":          "data",
	} {
		if got := p.Hyphenate(word); got != want {
			t.Errorf("%s: got %s, want %s", word, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	if _, err := Parse("x.dic", []byte("ISO8859-1\n.ach4\n")); err == nil {
		t.Fatal("ISO8859-1 accepted")
	}
	if _, err := Parse("x.dic", []byte("UTF-8\n")); err == nil {
		t.Fatal("empty pattern set accepted")
	}
	if _, err := Find("nope.dic", []string{t.TempDir()}); err == nil {
		t.Fatal("missing file found")
	}
}

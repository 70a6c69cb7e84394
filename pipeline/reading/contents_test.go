package reading

import (
	"strings"
	"testing"
)

func sample() *Contents {
	return &Contents{Version: Version, Publication: "p", Lang: "en", PDF: "p-en.pdf", Pages: 10, Chapters: []Chapter{
		{ID: "a", Title: "A", FirstPage: 2, LastPage: 5, Sections: []Section{{Page: 2, Text: "x"}, {Number: "1.1", Title: "B", Page: 4, Text: "y"}}},
	}}
}

// TestParse: a contents file reads back as written; a file of another
// format, with pages outside the PDF or a section outside its chapter,
// with unknown fields, or too large, is refused with its name.
func TestParse(t *testing.T) {
	data, err := sample().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse("p-contents-en.json", data)
	if err != nil || c.Chapters[0].Sections[1].Title != "B" {
		t.Fatalf("%v %+v", err, c)
	}
	for name, mod := range map[string]func(*Contents){
		"contents format 7":      func(c *Contents) { c.Version = 7 },
		"on pages 2-11 of 10":    func(c *Contents) { c.Chapters[0].LastPage = 11 },
		"on page 6, outside":     func(c *Contents) { c.Chapters[0].Sections[1].Page = 6 },
		"without a publication":  func(c *Contents) { c.Lang = "" },
		"on pages 0-5 of 10":     func(c *Contents) { c.Chapters[0].FirstPage = 0 },
		"on pages 6-5 of 10 ...": func(c *Contents) { c.Chapters[0].FirstPage = 6 },
	} {
		c := sample()
		mod(c)
		data, _ := c.Marshal()
		_, err := Parse("p-contents-en.json", data)
		if err == nil || !strings.Contains(err.Error(), "p-contents-en.json") || !strings.Contains(err.Error(), strings.TrimSuffix(name, " ...")[:10]) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Parse("x.json", []byte(`{"version":1,"publication":"p","lang":"en","extra":1}`)); err == nil || !strings.Contains(err.Error(), "extra") {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := Parse("x.json", make([]byte, MaxSize+1)); err == nil || !strings.Contains(err.Error(), "more than a contents file") {
		t.Errorf("too large: %v", err)
	}
	for name, want := range map[string]string{"aceo-sample-contents-zh.json": "zh", "a-contents-en.json": "en", "a-contents-.json": "", "a-en.pdf": "", "a-contents-e/n.json": ""} {
		if lang, ok := IsName(name); lang != want && ok || ok != (want != "") {
			t.Errorf("IsName(%q) = %q, %v", name, lang, ok)
		}
	}
}

// FuzzParse: any bytes end in a contents or an error.
func FuzzParse(f *testing.F) {
	data, _ := sample().Marshal()
	f.Add(data)
	f.Add([]byte(`{"version":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse("f.json", b)
		if err == nil && (c.Lang == "" || c.Version != Version) {
			t.Fatalf("accepted %+v", c)
		}
	})
}

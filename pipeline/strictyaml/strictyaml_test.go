package strictyaml

import (
	"strings"
	"testing"
)

type inner struct {
	Name string `yaml:"name"`
}

type outer struct {
	Title string           `yaml:"title"`
	Items []inner          `yaml:"items"`
	ByKey map[string]inner `yaml:"by_key"`
	Year  int              `yaml:"year"`
}

func TestDecode(t *testing.T) {
	var v outer
	src := "title: T\nitems:\n  - name: a\nby_key:\n  x: {name: b}\nyear: 2013\n"
	if err := Decode("f.yaml", []byte(src), 1, &v); err != nil {
		t.Fatal(err)
	}
	if v.Title != "T" || v.Items[0].Name != "a" || v.ByKey["x"].Name != "b" || v.Year != 2013 {
		t.Fatalf("%+v", v)
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown top", "title: T\ntitel: x\n", `f.yaml:11: unknown field "titel"; did you mean "title"? Known fields are by_key, items, title, year`},
		{"unknown nested", "items:\n  - name: a\n    nmae: b\n", `f.yaml:12: unknown field "nmae"`},
		{"unknown in map", "by_key:\n  x: {name: b, colour: red}\n", `f.yaml:11: unknown field "colour"`},
		{"twice", "title: a\ntitle: b\n", `f.yaml:11: field "title" is given twice`},
		{"type", "year: soon\n", "f.yaml:10: YAML: cannot construct !!str `soon` into int"},
		{"syntax", "title: [\n", "f.yaml:"},
		{"empty", "", "f.yaml:10: empty YAML document"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v outer
			err := Decode("f.yaml", []byte(c.src), 10, &v)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

package strictyaml

import (
	"strings"
	"testing"
)

// FuzzDecode: any YAML gives a value or errors that name the file, never
// a panic; QuoteFlow never panics and keeps what is outside the braces.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"title: T\nitems: [a, b]\n",
		"caption: {en: Forest cover, 1990-2010, zh: 森林}\n",
		"caption: {en: Ratio: forest, zh: 比}\n",
		"caption: {en: \"a, b\", zh: 'c'}\n",
		"title: T\ntitle: U\n",
		"{",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var v outer
		if err := Decode("f.yaml", []byte(src), 1, &v); err != nil && !strings.Contains(err.Error(), "f.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
		for _, line := range strings.Split(src, "\n") {
			out, ok := QuoteFlow(line, nil)
			if !ok {
				continue
			}
			open, end := strings.IndexByte(line, '{'), strings.LastIndexByte(line, '}')
			if !strings.HasPrefix(out, line[:open+1]) || !strings.HasSuffix(out, line[end:]) {
				t.Fatalf("QuoteFlow(%q) = %q changed what is outside the braces", line, out)
			}
		}
	})
}

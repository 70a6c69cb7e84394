package publication

import (
	"strings"
	"testing"
)

// TestCheckISBN: ISBN-13 and ISBN-10 check digits are verified; a wrong
// one is reported with the digit it should be.
func TestCheckISBN(t *testing.T) {
	for _, ok := range []string{"978-7-000-00001-8", "9787000000025", "0-306-40615-2", "0-8044-2957-X", "979-10-90636-07-1"} {
		if _, err := CheckISBN(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"978-7-000-00001-9", "should be 8"},
		{"977-7-000-00001-9", "does not begin with 978 or 979"},
		{"0-306-40615-3", "wrong check digit"},
		{"978-7-000-0000", "has 11 digits"},
		{"978-7-000-0000A-8", "not a digit"},
	} {
		if _, err := CheckISBN(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.in, err, c.want)
		}
	}
}

// TestImprintFields: a wrong ISBN, a DOI written as a link and a licence
// without a name are errors of publication.yaml.
func TestImprintFields(t *testing.T) {
	base := "id: p\nkind: policy-study\nyear: 2013\ndate: \"2013-01-01\"\ntitle: {en: P, zh: 匹}\nchapters: [a]\n"
	for _, c := range []struct{ extra, want string }{
		{"isbn: {en: 978-7-000-00001-9}\n", "isbn.en: ISBN \"978-7-000-00001-9\" has the check digit 9; it should be 8"},
		{"doi: https://doi.org/10.5555/x\n", "is not a DOI"},
		{"licence: {url: \"https://example.org\"}\n", "licence needs a name"},
	} {
		_, err := Parse("publication.yaml", []byte(base+c.extra))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.extra, err, c.want)
		}
	}
	p, err := Parse("publication.yaml", []byte(base+"isbn: {en: 978-7-000-00001-8}\ndoi: 10.5555/x\nlicence: {name: CC BY 4.0, url: \"https://creativecommons.org/licenses/by/4.0/\"}\n"))
	if err != nil || p.ISBN["en"] != "978-7-000-00001-8" || p.DOI != "10.5555/x" || p.Licence.Name != "CC BY 4.0" {
		t.Errorf("%+v %v", p, err)
	}
}

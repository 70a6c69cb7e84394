package glossary

import (
	"strings"
	"testing"
)

const sample = `terms:
  - term: AMS
    en: ASEAN Member States
    zh: 东盟成员国
    definition: {en: The ten members., zh: 十个成员国。}
  - term: PM2.5
    en: Fine particulate matter
    zh: 细颗粒物
  - term: 红树林
    en: mangrove
    zh: 红树林
`

// TestGlossary: entries are read with their lines; the terms a text uses
// are found as whole words (or anywhere, for Chinese terms); the
// all-capital tokens the glossary lacks are listed once each.
func TestGlossary(t *testing.T) {
	g, err := Parse("glossary.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Entries) != 3 || g.Entries[0].Line != 2 || g.Entries[1].Line != 6 {
		t.Fatalf("%+v", g.Entries)
	}
	if e, _ := g.Entry("AMS"); e.Expansion("zh") != "东盟成员国" || e.Definition["en"] != "The ten members." {
		t.Errorf("AMS: %+v", e)
	}
	used := g.Used([]string{"The AMS and China measure PM2.5.", "SAMSUNG is not AMS twice.", "红树林正在消失。"})
	var terms []string
	for _, e := range used {
		terms = append(terms, e.Term)
	}
	if strings.Join(terms, ",") != "AMS,PM2.5,红树林" {
		t.Errorf("used %v", terms)
	}
	if got := g.Used([]string{"SAMS and AMSTERDAM"}); len(got) != 0 {
		t.Errorf("a term inside a word is used: %v", got)
	}
	if m := g.Missing([]string{"The WHO and AMS, and WHO again; UNESCO, Ab, ABCDEFG."}); strings.Join(m, ",") != "WHO,UNESCO" {
		t.Errorf("missing %v", m)
	}
}

// TestGlossaryErrors: an entry without a term, without one language, or
// given twice is an error at its line; unknown fields are too.
func TestGlossaryErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"terms:\n  - en: X\n    zh: 叉\n", "glossary.yaml:2: a glossary entry has no term"},
		{"terms:\n  - term: X\n    en: Ex\n", `glossary.yaml:2: glossary term "X" lacks its English or Chinese`},
		{"terms:\n  - term: X\n    en: Ex\n    zh: 叉\n  - term: X\n    en: Ex\n    zh: 叉\n", `glossary.yaml:5: glossary term "X" is given twice (first at line 2)`},
		{"terms:\n  - term: X\n    en: Ex\n    zh: 叉\n    meaning: y\n", `unknown field "meaning"`},
	} {
		if _, err := Parse("glossary.yaml", []byte(c.src)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.src, err, c.want)
		}
	}
}

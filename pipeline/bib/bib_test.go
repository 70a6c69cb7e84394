package bib

import (
	"strings"
	"testing"
)

const sampleBib = `% references of the sample
@string{unep = "United Nations Environment Programme"}

@book{unep2019,
  author    = {{United Nations Environment Programme}},
  title     = {Global Environment Outlook {GEO}-6: Healthy Planet, Healthy People},
  publisher = {Cambridge University Press},
  address   = {Cambridge},
  year      = 2019,
  doi       = {10.1017/9781108627146},
}

@report{unep2019b,
  author      = {{UNEP}},
  title       = "Air Pollution in Asia and the {Pacific}",
  institution = unep # { (Regional Office)},
  address     = {Bangkok},
  number      = {12},
  year        = {2019},
}

@article{smith2020,
  author  = {Smith, John and Jones, Kate Anne and Lee, Min-Jun},
  title   = {Mangrove loss in {Southeast Asia}, 2000--2012},
  journal = {Nature Climate Change},
  volume  = {10},
  number  = {3},
  pages   = {45--67},
  year    = {2020},
}

@article{jones2018,
  author  = {Kate Jones and Paul {van der} Berg},
  title   = {Haze and health: a review},
  journal = {Environment International},
  year    = {2018},
  url     = {https://example.org/haze},
}

@online{mekong2021,
  author  = {{Mekong River Commission}},
  title   = {State of the Basin Report},
  url     = {https://www.mrcmekong.org/sobr},
  urldate = {2021-03-04},
  year    = {2021},
}

@article{zhang2019,
  author  = {张三 and 李四 and 王五 and 赵六},
  title   = {中国—东盟红树林保护合作研究},
  journal = {环境科学},
  volume  = {40},
  number  = {2},
  pages   = {101--110},
  year    = {2019},
  langid  = {chinese},
}

@book{li2017,
  author    = {李明},
  title     = {湄公河流域水资源管理},
  publisher = {科学出版社},
  address   = {北京},
  year      = {2017},
}

@incollection{muller2016,
  author    = {M{\"u}ller, J{\'e}r{\^o}me and {\v S}ediv{\'y}, Ond{\v{r}}ej},
  title     = {Wetlands of the Lower Mekong},
  booktitle = {Asian Wetlands},
  editor    = {Tan, Wei},
  publisher = {Springer},
  address   = {Singapore},
  pages     = {12--30},
  year      = {2016},
}
`

func library(t *testing.T) *Library {
	t.Helper()
	es, err := ParseBibTeX("refs.bib", []byte(sampleBib))
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(es); err != nil {
		t.Fatal(err)
	}
	l, err := NewLibrary(es)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func entry(t *testing.T, l *Library, key string) *Entry {
	t.Helper()
	e, ok := l.Entry(key)
	if !ok {
		t.Fatalf("no entry %s in %v", key, l.Keys())
	}
	return e
}

// TestBibTeX: braces protect and are dropped, {{...}} is an organisation,
// "and" separates names, @string macros and # join, -- is an en dash,
// LaTeX accents are letters, langid says Chinese, and every entry knows
// its line.
func TestBibTeX(t *testing.T) {
	l := library(t)
	if got := l.Keys(); len(got) != 8 || got[0] != "unep2019" || got[7] != "muller2016" {
		t.Fatalf("keys %v", got)
	}
	u := entry(t, l, "unep2019")
	if len(u.Authors) != 1 || u.Authors[0].Literal != "United Nations Environment Programme" || u.Type != Book || u.Year != 2019 || u.Line != 4 {
		t.Errorf("unep2019: %+v", u)
	}
	if u.Title != "Global Environment Outlook GEO-6: Healthy Planet, Healthy People" || u.DOI != "10.1017/9781108627146" {
		t.Errorf("unep2019 title %q doi %q", u.Title, u.DOI)
	}
	if r := entry(t, l, "unep2019b"); r.Authors[0].Literal != "UNEP" || r.Publisher != "United Nations Environment Programme (Regional Office)" || r.Type != Report || r.Number != "12" || r.Title != "Air Pollution in Asia and the Pacific" {
		t.Errorf("unep2019b: %+v", r)
	}
	s := entry(t, l, "smith2020")
	if len(s.Authors) != 3 || s.Authors[1] != (Name{Family: "Jones", Given: "Kate Anne"}) || s.Authors[2].Given != "Min-Jun" {
		t.Errorf("smith2020 authors %+v", s.Authors)
	}
	if s.Title != "Mangrove loss in Southeast Asia, 2000–2012" || s.Pages != "45–67" || s.Issue != "3" || s.Container != "Nature Climate Change" {
		t.Errorf("smith2020: %+v", s)
	}
	if j := entry(t, l, "jones2018"); j.Authors[1] != (Name{Family: "van der Berg", Given: "Paul"}) && j.Authors[1].Family != "van der Berg" {
		t.Errorf("jones2018 authors %+v", j.Authors)
	}
	m := entry(t, l, "muller2016")
	if m.Authors[0] != (Name{Family: "Müller", Given: "Jérôme"}) || m.Authors[1] != (Name{Family: "Šedivý", Given: "Ondřej"}) || m.Type != Chapter || m.Editors[0].Family != "Tan" {
		t.Errorf("muller2016 names %+v %+v", m.Authors, m.Editors)
	}
	if z := entry(t, l, "zhang2019"); z.Lang != "zh" || len(z.Authors) != 4 || z.Authors[0].Family != "张三" {
		t.Errorf("zhang2019: %+v", z)
	}
	if e := entry(t, l, "li2017"); e.Lang != "zh" { // by its title
		t.Errorf("li2017 lang %q", e.Lang)
	}
}

// TestBibTeXErrors: each malformed entry is an error at its line, and the
// entries after it are still read.
func TestBibTeXErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"@article{a,\n title = {Open\n\n@book{b, title={T}, year=2000, author={X}}\n", "refs.bib:2: a { is never closed"},
		{"@article{a, title={T}, year=2000,\n\n@book{b, title={T}, year=2000, author={X}}\n", `refs.bib:1: entry "a" is not closed`},
		{"@article{, title={T}}\n", "refs.bib:1: @article has no key"},
		{"@article{a,\n  title {T}}\n", `refs.bib:2: entry "a": a field without '='`},
		{"@article{a, title={T},\n title={U}}\n", `refs.bib:2: entry "a" gives title twice`},
		{"@article{a, journal = natclim}\n", `refs.bib:1: unknown @string macro "natclim"`},
		{"@article{a, title = \"unclosed}\n", `refs.bib:1: a " is never closed`},
		{"@article a, title={T}}\n", "refs.bib:1: @article is not followed by { or ("},
		{"@article{a, title={caf\xe9}}\n", "refs.bib:1: not valid UTF-8"},
	} {
		_, err := ParseBibTeX("refs.bib", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.src, err, c.want)
		}
	}
	// the entry after a broken one is read
	es, err := ParseBibTeX("refs.bib", []byte("@article{a, title={T}, year=2000,\n\n@book{b, title={T}, year=2000, author={X}}\n"))
	if err == nil || len(es) != 1 || es[0].Key != "b" || es[0].Line != 3 {
		t.Errorf("recovery: %v %+v", err, es)
	}
	if _, err := ParseBibTeX("big.bib", make([]byte, MaxFileSize+1)); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("size limit: %v", err)
	}
}

// TestCheck: a work without author, year or title is reported at its
// line; a key given twice, in one file or two, at its second place.
func TestCheck(t *testing.T) {
	es, err := ParseBibTeX("a.bib", []byte("@misc{x,\n  note = {n}\n}\n@book{y, author={A}, title={T}, year={2000}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = Check(es)
	for _, want := range []string{`a.bib:1: entry "x" has no author`, `a.bib:1: entry "x" has no year`, `a.bib:1: entry "x" has no title`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
	more, _ := ParseBibTeX("b.bib", []byte("\n@book{y, author={B}, title={U}, year={2001}}\n"))
	if _, err := NewLibrary(es, more); err == nil || !strings.Contains(err.Error(), `b.bib:2: the key "y" is given twice (first at a.bib:4)`) {
		t.Errorf("duplicate key: %v", err)
	}
}

const zotero = `[
  {
    "id": "unep2016",
    "type": "report",
    "title": "GEO-6 Regional Assessment for Asia and the Pacific",
    "publisher": "United Nations Environment Programme",
    "publisher-place": "Nairobi",
    "author": [{"literal": "UNEP"}],
    "issued": {"date-parts": [[2016]]}
  },
  {
    "id": "wang2020",
    "type": "article-journal",
    "title": "东盟国家空气质量变化",
    "container-title": "中国环境科学",
    "volume": 40,
    "issue": "5",
    "page": "1-10",
    "language": "zh-CN",
    "author": [{"family": "王", "given": "芳"}, {"family": "陈", "given": "杰"}],
    "issued": {"date-parts": [["2020", 5, 1]]},
    "DOI": "10.1234/abc"
  },
  {
    "type": "book",
    "title": "No id"
  }
]`

// TestCSLJSON: items as Zotero exports them, each at its line; an item
// without an id is an error at its line.
func TestCSLJSON(t *testing.T) {
	es, err := ParseCSLJSON("refs.json", []byte(zotero))
	if err == nil || !strings.Contains(err.Error(), "refs.json:24: an item has no id") {
		t.Errorf("missing id: %v", err)
	}
	if len(es) != 2 {
		t.Fatalf("%d entries", len(es))
	}
	u, w := es[0], es[1]
	if u.Key != "unep2016" || u.Type != Report || u.Year != 2016 || u.Authors[0].Literal != "UNEP" || u.Place != "Nairobi" || u.Line != 2 {
		t.Errorf("unep2016: %+v", u)
	}
	if w.Lang != "zh" || w.Volume != "40" || w.Pages != "1–10" || w.Date != "2020-05-01" || w.Authors[0] != (Name{Family: "王", Given: "芳"}) || w.Line != 11 {
		t.Errorf("wang2020: %+v", w)
	}
	if _, err := ParseCSLJSON("x.json", []byte(`{"id": "a"}`)); err == nil || !strings.Contains(err.Error(), "not a CSL-JSON array") {
		t.Errorf("not an array: %v", err)
	}
}

func text(runs []Run) string {
	var b strings.Builder
	for _, r := range runs {
		if r.Italic {
			b.WriteString("*" + r.Text + "*")
		} else {
			b.WriteString(r.Text)
		}
	}
	return b.String()
}

var allKeys = []string{"unep2019", "unep2019b", "smith2020", "jones2018", "mekong2021", "zhang2019", "li2017", "muller2016"}

// TestEnglishCitations: one rule of the author-date style each.
func TestEnglishCitations(t *testing.T) {
	l := library(t)
	s := NewStyle("en", l, allKeys)
	for _, c := range []struct {
		name string
		cite Cite
		want string
	}{
		{"an organisation, with a page", Cite{Items: []CiteItem{{Key: "mekong2021", Locator: "p. 45"}}}, "(Mekong River Commission 2021, p. 45)"},
		{"two authors", Cite{Items: []CiteItem{{Key: "jones2018"}}}, "(Jones and van der Berg 2018)"},
		{"three or more authors: et al.", Cite{Items: []CiteItem{{Key: "smith2020"}}}, "(Smith et al. 2020)"},
		{"narrative", Cite{Narrative: true, Items: []CiteItem{{Key: "smith2020"}}}, "Smith et al. (2020)"},
		{"several works", Cite{Items: []CiteItem{{Key: "jones2018"}, {Key: "smith2020"}}}, "(Jones and van der Berg 2018; Smith et al. 2020)"},
		{"a prefix", Cite{Items: []CiteItem{{Key: "smith2020", Prefix: "see"}}}, "(see Smith et al. 2020)"},
		{"the year alone", Cite{Items: []CiteItem{{Key: "smith2020", SuppressAuthor: true}}}, "(2020)"},
		{"Chinese authors in an English edition", Cite{Items: []CiteItem{{Key: "zhang2019"}}}, "(张三 et al. 2019)"},
	} {
		if got := s.Citation(c.cite); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	// the same authors and year: 2019a, 2019b (by title)
	es, _ := ParseBibTeX("x.bib", []byte("@book{a, author={{UNEP}}, title={Beta}, year=2019}\n@book{b, author={{UNEP}}, title={Alpha}, year=2019}\n"))
	l2, _ := NewLibrary(es)
	s2 := NewStyle("en", l2, []string{"a", "b"})
	if got := s2.Citation(Cite{Items: []CiteItem{{Key: "b"}, {Key: "a"}}}); got != "(UNEP 2019a; UNEP 2019b)" {
		t.Errorf("year suffixes: %q", got)
	}
	if refs := s2.References([]string{"a", "b"}); text(refs[0]) != "UNEP (2019a). *Alpha*." || text(refs[1]) != "UNEP (2019b). *Beta*." {
		t.Errorf("suffixes in the list: %q %q", text(refs[0]), text(refs[1]))
	}
}

// TestEnglishReferences: one rule of the reference list each.
func TestEnglishReferences(t *testing.T) {
	l := library(t)
	s := NewStyle("en", l, allKeys)
	refs := s.References(append(allKeys, "smith2020", "nope"))
	if len(refs) != 8 {
		t.Fatalf("%d references (each once, unknown keys left out)", len(refs))
	}
	var list []string
	for _, r := range refs {
		list = append(list, text(r))
	}
	want := []string{
		"Jones, K. and van der Berg, P. (2018). Haze and health: a review. *Environment International*. https://example.org/haze",
		"李明 (2017). 湄公河流域水资源管理. 北京: 科学出版社.", // no italics for a Chinese title
		"Mekong River Commission (2021). *State of the Basin Report*. https://www.mrcmekong.org/sobr (accessed 2021-03-04)",
		"Müller, J. and Šedivý, O. (2016). Wetlands of the Lower Mekong. In W. Tan (Ed.), *Asian Wetlands* (pp. 12–30). Singapore: Springer.",
		"Smith, J., Jones, K. A. and Lee, M.-J. (2020). Mangrove loss in Southeast Asia, 2000–2012. *Nature Climate Change*, 10(3), 45–67.",
		"UNEP (2019). *Air Pollution in Asia and the Pacific* (No. 12). Bangkok: United Nations Environment Programme (Regional Office).",
		"United Nations Environment Programme (2019). *Global Environment Outlook GEO-6: Healthy Planet, Healthy People*. Cambridge: Cambridge University Press. https://doi.org/10.1017/9781108627146",
		"张三, 李四, 王五 and 赵六 (2019). 中国—东盟红树林保护合作研究. 环境科学, 40(2), 101–110.",
	}
	for i := range want {
		if i >= len(list) || list[i] != want[i] {
			t.Errorf("reference %d:\n got %q\nwant %q", i+1, list[min(i, len(list)-1)], want[i])
		}
	}
	// the DOI is a link
	var doi Run
	for _, r := range refs[6] {
		if r.Link != "" {
			doi = r
		}
	}
	if doi.Link != "https://doi.org/10.1017/9781108627146" {
		t.Errorf("the DOI is not linked: %+v", refs[6])
	}
	if s.ListTitle() != "References" {
		t.Error(s.ListTitle())
	}
}

// TestChineseStyle: one rule of GB/T 7714-2015 author-year each.
func TestChineseStyle(t *testing.T) {
	l := library(t)
	s := NewStyle("zh", l, allKeys)
	for _, c := range []struct {
		name string
		cite Cite
		want string
	}{
		{"a Chinese author, in full", Cite{Items: []CiteItem{{Key: "li2017"}}}, "（李明，2017）"},
		{"several Chinese authors: the first and 等", Cite{Items: []CiteItem{{Key: "zhang2019"}}}, "（张三 等，2019）"},
		{"Western authors: the first and et al.", Cite{Items: []CiteItem{{Key: "smith2020", Locator: "p. 45"}}}, "（Smith et al.，2020：45）"},
		{"narrative", Cite{Narrative: true, Items: []CiteItem{{Key: "zhang2019"}}}, "张三 等（2019）"},
		{"several works", Cite{Items: []CiteItem{{Key: "li2017"}, {Key: "unep2019"}}}, "（李明，2017；United Nations Environment Programme，2019）"},
	} {
		if got := s.Citation(c.cite); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	var list []string
	for _, r := range s.References(allKeys) {
		list = append(list, text(r))
	}
	want := []string{
		// Chinese works first, by the pinyin of their authors (li before zhang)
		"李明, 2017. 湄公河流域水资源管理[M]. 北京: 科学出版社.",
		// 等 after three authors; [J]
		"张三, 李四, 王五, 等, 2019. 中国—东盟红树林保护合作研究[J]. 环境科学, 40(2): 101-110.",
		// Western works in their own language, family names in capitals
		"JONES K, VAN DER BERG P, 2018. Haze and health: a review[J]. Environment International. https://example.org/haze.",
		"Mekong River Commission, 2021. State of the Basin Report[EB/OL]. [2021-03-04]. https://www.mrcmekong.org/sobr.",
		"MÜLLER J, ŠEDIVÝ O, 2016. Wetlands of the Lower Mekong[M]//Tan. Asian Wetlands. Singapore: Springer: 12-30.",
		"SMITH J, JONES KA, LEE M-J, 2020. Mangrove loss in Southeast Asia, 2000–2012[J]. Nature Climate Change, 10(3): 45-67.",
		"UNEP, 2019. Air Pollution in Asia and the Pacific[R]. Bangkok: United Nations Environment Programme (Regional Office).",
		"United Nations Environment Programme, 2019. Global Environment Outlook GEO-6: Healthy Planet, Healthy People[M]. Cambridge: Cambridge University Press. DOI:10.1017/9781108627146.",
	}
	for i := range want {
		if i >= len(list) || list[i] != want[i] {
			t.Errorf("reference %d:\n got %q\nwant %q", i+1, list[min(i, len(list)-1)], want[i])
		}
	}
	if s.ListTitle() != "参考文献" {
		t.Error(s.ListTitle())
	}
}

// TestEnglishTitleRules: a title ending in ? or ! takes no full stop; a
// report number that names its series prints as it is, a bare number
// after No.
func TestEnglishTitleRules(t *testing.T) {
	es, err := ParseBibTeX("t.bib", []byte(`@article{q, author={A, B}, title={Is oil palm the cause?}, journal={J}, year=2008}
@report{r, author={{FAO}}, title={Assessment}, number={FAO Forestry Paper 163}, year=2010}
@report{n, author={{FAO}}, title={Survey}, number={12}, year=2011}`))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := NewLibrary(es)
	s := NewStyle("en", l, []string{"q", "r", "n"})
	got := s.References([]string{"q", "r", "n"})
	for i, want := range []string{"A, B. (2008). Is oil palm the cause? *J*.", "FAO (2010). *Assessment* (FAO Forestry Paper 163).", "FAO (2011). *Survey* (No. 12)."} {
		if text(got[i]) != want {
			t.Errorf("got %q, want %q", text(got[i]), want)
		}
	}
}

package bib

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

// Run is a piece of a formatted reference: plain, italic (titles of
// books and journals) or a link (a DOI or URL).
type Run struct {
	Text   string
	Italic bool
	Link   string
}

// Cite is one citation: the works of [@a, p. 45; see @b], or the one work
// of a narrative @a.
type Cite struct {
	Items     []CiteItem
	Narrative bool
}

// CiteItem is one work cited, with what the author wrote around it.
type CiteItem struct {
	Key            string
	Prefix         string // "see"
	Locator        string // "p. 45"
	SuppressAuthor bool   // [-@key]: the year alone
}

// Style formats the citations and reference list of one edition: "en",
// author-date as UNEP and APA use it, or "zh", GB/T 7714-2015
// author-year. Works published in the same year under the same authors
// are told apart by a, b... after the year, in both.
type Style struct {
	Lang   string
	lib    *Library
	suffix map[string]string // key -> year suffix
}

// NewStyle makes the style of lang for the works cited (keys) of lib.
func NewStyle(lang string, lib *Library, cited []string) *Style {
	s := &Style{Lang: lang, lib: lib, suffix: map[string]string{}}
	groups := map[string][]*Entry{}
	for _, k := range uniq(cited) {
		if e, ok := lib.Entry(k); ok {
			g := s.shortAuthors(e) + "|" + fmt.Sprint(e.Year)
			groups[g] = append(groups[g], e)
		}
	}
	for _, es := range groups {
		if len(es) < 2 {
			continue
		}
		sort.SliceStable(es, func(i, j int) bool { return strings.ToLower(es[i].Title) < strings.ToLower(es[j].Title) })
		for i, e := range es {
			s.suffix[e.Key] = string(rune('a' + i%26))
		}
	}
	return s
}

func uniq(keys []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// ListTitle is the heading of the reference list.
func (s *Style) ListTitle() string {
	if s.Lang == "zh" {
		return "参考文献"
	}
	return "References"
}

// year is the year of an entry with its suffix, or "n.d." (无日期).
func (s *Style) year(e *Entry) string {
	if e.Year == 0 {
		if s.Lang == "zh" {
			return "出版年不详"
		}
		return "n.d."
	}
	return fmt.Sprint(e.Year) + s.suffix[e.Key]
}

// people is whom a work is cited by: its authors, else its editors.
func people(e *Entry) []Name {
	if len(e.Authors) > 0 {
		return e.Authors
	}
	return e.Editors
}

// family is a name as a citation gives it: a person's family name (a
// Chinese name whole), or an organisation.
func family(n Name) string {
	switch {
	case n.Literal != "":
		return n.Literal
	case isCJK(n.Family) || isCJK(n.Given):
		return n.Family + n.Given
	}
	return n.Family
}

// shortAuthors is the author part of an in-text citation.
func (s *Style) shortAuthors(e *Entry) string {
	ns := people(e)
	if len(ns) == 0 {
		return e.Title
	}
	if s.Lang == "zh" {
		// GB/T 7714-2015 10.2.2: the first author, then 等 or et al.
		if len(ns) == 1 {
			return family(ns[0])
		}
		if e.Lang == "zh" {
			return family(ns[0]) + " 等"
		}
		return family(ns[0]) + " et al."
	}
	switch len(ns) {
	case 1:
		return family(ns[0])
	case 2:
		return family(ns[0]) + " and " + family(ns[1])
	}
	return family(ns[0]) + " et al."
}

// Citation formats a citation: "(UNEP 2019, p. 45; see Smith et al.
// 2020)", "Smith et al. (2020)"; in Chinese "（UNEP，2019：45）",
// "张三 等（2019）". An unknown key is printed as it is, in bold by the
// caller; the preflight has reported it.
func (s *Style) Citation(c Cite) string {
	zh := s.Lang == "zh"
	var parts []string
	for _, it := range c.Items {
		e, ok := s.lib.Entry(it.Key)
		if !ok {
			parts = append(parts, it.Key+"?")
			continue
		}
		year := s.year(e)
		if loc := s.locator(it.Locator); loc != "" {
			if zh {
				year += "：" + loc
			} else {
				year += ", " + loc
			}
		}
		var p string
		switch {
		case c.Narrative && zh:
			p = s.shortAuthors(e) + "（" + year + "）"
		case c.Narrative:
			p = s.shortAuthors(e) + " (" + year + ")"
		case it.SuppressAuthor:
			p = year
		case zh:
			p = s.shortAuthors(e) + "，" + year
		default:
			p = s.shortAuthors(e) + " " + year
		}
		if it.Prefix != "" {
			p = it.Prefix + " " + p
		}
		parts = append(parts, p)
	}
	switch {
	case c.Narrative && zh:
		return strings.Join(parts, "；")
	case c.Narrative:
		return strings.Join(parts, "; ")
	case zh:
		return "（" + strings.Join(parts, "；") + "）"
	}
	return "(" + strings.Join(parts, "; ") + ")"
}

// locator is the page or other place cited: as written in English; in
// Chinese the page numbers alone ("p. 45" is 45).
func (s *Style) locator(l string) string {
	l = strings.TrimSpace(l)
	if s.Lang != "zh" {
		return l
	}
	for _, p := range []string{"pp.", "p.", "pages", "page"} {
		if strings.HasPrefix(strings.ToLower(l), p) {
			return strings.TrimSpace(l[len(p):])
		}
	}
	return l
}

// Order is the order of the reference list of the works keys (each
// once, unknown ones left out).
func (s *Style) Order(keys []string) []string {
	var out []string
	for _, e := range s.sorted(keys) {
		out = append(out, e.Key)
	}
	return out
}

// References formats the reference list of the works cited (keys; each
// once, unknown ones left out), in the style's order: English by author
// and year; Chinese works first by the pinyin of their authors, then the
// others by author, each group by year, as GB/T 7714-2015 orders them.
func (s *Style) References(keys []string) [][]Run {
	es := s.sorted(keys)
	out := make([][]Run, 0, len(es))
	for _, e := range es {
		if s.Lang == "zh" {
			out = append(out, s.gbt(e))
		} else {
			out = append(out, s.apa(e))
		}
	}
	return out
}

// sorted gives the entries of keys in the style's order.
func (s *Style) sorted(keys []string) []*Entry {
	var es []*Entry
	for _, k := range uniq(keys) {
		if e, ok := s.lib.Entry(k); ok {
			es = append(es, e)
		}
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if s.Lang == "zh" && (a.Lang == "zh") != (b.Lang == "zh") {
			return a.Lang == "zh"
		}
		if ka, kb := sortKey(a), sortKey(b); ka != kb {
			return ka < kb
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return s.suffix[a.Key] < s.suffix[b.Key]
	})
	return es
}

// sortKey orders works by their authors' names: Chinese names by their
// pinyin, all without case or accents.
func sortKey(e *Entry) string {
	var parts []string
	for _, n := range people(e) {
		parts = append(parts, Romanize(family(n)+" "+n.Given))
	}
	if len(parts) == 0 {
		parts = append(parts, Romanize(e.Title))
	}
	return strings.Join(parts, "\x00")
}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Fallback = func(r rune, _ pinyin.Args) []string { return []string{string(r)} }
	return a
}()

// Romanize writes s in lower-case Latin letters: Chinese characters in
// pinyin (without tones), accents dropped.
func Romanize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isCJK(string(r)) {
			if p := pinyin.SinglePinyin(r, pinyinArgs); len(p) > 0 {
				b.WriteString(p[0])
				continue
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	// accents dropped: é sorts as e
	var out strings.Builder
	for _, r := range norm.NFD.String(b.String()) {
		if !unicode.Is(unicode.Mn, r) {
			out.WriteRune(r)
		}
	}
	return out.String()
}

// initials writes given names as initials: "Jean-Paul Marie" is "J.-P. M.".
func initials(given string, dots bool) string {
	var words []string
	for _, w := range strings.Fields(given) {
		var parts []string
		for _, p := range strings.Split(w, "-") {
			r, _ := utf8.DecodeRuneInString(p)
			if r == utf8.RuneError {
				continue
			}
			if dots {
				parts = append(parts, string(r)+".")
			} else {
				parts = append(parts, string(r))
			}
		}
		words = append(words, strings.Join(parts, "-"))
	}
	if dots {
		return strings.Join(words, " ")
	}
	return strings.Join(words, "")
}

// link is the address of a work: its DOI, else its URL.
func link(e *Entry) string {
	if e.DOI != "" {
		return "https://doi.org/" + e.DOI
	}
	return e.URL
}

// apa formats a reference in English: "Smith, J., Jones, K. and Lee, M.
// (2020a). Title. Journal, 12(3), 45–67. https://doi.org/...".
func (s *Style) apa(e *Entry) []Run {
	var runs []Run
	add := func(t string, italic bool) { runs = append(runs, Run{Text: t, Italic: italic}) }
	var names []string
	for _, n := range people(e) {
		names = append(names, listName(n, func(n Name) string { return n.Family + ", " + initials(n.Given, true) }))
	}
	who := joinAnd(names, " and ")
	if len(e.Authors) == 0 && len(e.Editors) > 0 {
		who += map[bool]string{true: " (Eds.)", false: " (Ed.)"}[len(e.Editors) > 1]
	}
	add(who+" ("+s.year(e)+"). ", false)
	title := strings.TrimRight(e.Title, ".")
	end := ". " // after a title: none when it ends with ? or !
	if strings.HasSuffix(title, "?") || strings.HasSuffix(title, "!") {
		end = " "
	}
	italic := !isCJK(title) // a Chinese title is not set in italics
	switch e.Type {
	case Article:
		add(title+end, false)
		if e.Container != "" {
			add(e.Container, !isCJK(e.Container))
			vol := ""
			if e.Volume != "" {
				vol = ", " + e.Volume
			}
			if e.Issue != "" {
				vol += "(" + e.Issue + ")"
			}
			if e.Pages != "" {
				vol += ", " + e.Pages
			}
			add(vol+". ", false)
		}
	case Chapter, Conference:
		add(title+end, false)
		in := "In "
		if len(e.Authors) > 0 && len(e.Editors) > 0 {
			var eds []string
			for _, n := range e.Editors {
				if n.Literal != "" {
					eds = append(eds, n.Literal)
				} else {
					eds = append(eds, strings.TrimSpace(initials(n.Given, true)+" "+n.Family))
				}
			}
			in += joinAnd(eds, " and ") + map[bool]string{true: " (Eds.), ", false: " (Ed.), "}[len(eds) > 1]
		}
		add(in, false)
		add(e.Container, !isCJK(e.Container))
		if e.Pages != "" {
			add(" (pp. "+e.Pages+")", false)
		}
		add(". ", false)
		add(where(e), false)
	default:
		add(title, italic)
		var extra []string
		if e.Edition != "" {
			extra = append(extra, e.Edition+" ed.")
		}
		switch {
		case e.Number == "":
		case strings.Trim(e.Number, "0123456789") == "":
			extra = append(extra, "No. "+e.Number)
		default:
			extra = append(extra, e.Number) // a series and number: FAO Forestry Paper 163
		}
		if len(extra) > 0 {
			add(" ("+strings.Join(extra, ", ")+")", false)
		}
		add(strings.TrimRight(end, " ")+" ", false)
		add(where(e), false)
	}
	if l := link(e); l != "" {
		runs = append(runs, Run{Text: l, Link: l})
		if e.DOI == "" && e.Accessed != "" {
			add(" (accessed "+e.Accessed+")", false)
		}
	}
	return trimRuns(runs)
}

// where is "Place: Publisher. " (either may be missing).
func where(e *Entry) string {
	switch {
	case e.Place != "" && e.Publisher != "":
		return e.Place + ": " + e.Publisher + ". "
	case e.Publisher != "":
		return e.Publisher + ". "
	case e.Place != "":
		return e.Place + ". "
	}
	return ""
}

// joinAnd joins names: "A", "A and B", "A, B and C".
func joinAnd(ns []string, and string) string {
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + and + ns[len(ns)-1]
}

// gbtTypes are GB/T 7714-2015's marks of document types.
var gbtTypes = map[string]string{Article: "J", Book: "M", Chapter: "M", Report: "R", Webpage: "EB/OL", Thesis: "D", Conference: "C", Dataset: "DS", Standard: "S", Misc: "Z"}

// gbt formats a reference as GB/T 7714-2015 author-year: "张三, 李四, 王五,
// 等, 2019. 题名[J]. 刊名, 12(3): 45-67. DOI:10...."; a Western work in its
// own language, family names in capitals: "SMITH J, JONES K, LEE M, et al.,
// 2020. Title[J]. ...".
func (s *Style) gbt(e *Entry) []Run {
	var runs []Run
	add := func(t string) { runs = append(runs, Run{Text: t}) }
	ns := people(e)
	var names []string
	for i, n := range ns {
		if i == 3 {
			if e.Lang == "zh" {
				names = append(names, "等")
			} else {
				names = append(names, "et al")
			}
			break
		}
		names = append(names, listName(n, func(n Name) string { return strings.ToUpper(n.Family) + " " + initials(n.Given, false) }))
	}
	add(strings.Join(names, ", ") + ", " + s.year(e) + ". ")
	add(strings.TrimRight(e.Title, ".") + "[" + gbtTypes[e.Type] + "]")
	switch e.Type {
	case Article:
		if e.Container != "" {
			t := ". " + e.Container
			if e.Volume != "" {
				t += ", " + e.Volume
			}
			if e.Issue != "" {
				t += "(" + e.Issue + ")"
			}
			if e.Pages != "" {
				t += ": " + strings.ReplaceAll(e.Pages, "–", "-")
			}
			add(t)
		}
	case Chapter, Conference:
		t := "//"
		var eds []string
		for _, n := range e.Editors {
			eds = append(eds, family(n))
		}
		if len(eds) > 0 {
			t += strings.Join(eds, ", ") + ". "
		}
		t += e.Container
		if w := strings.TrimSuffix(where(e), ". "); w != "" {
			t += ". " + w
		}
		if e.Pages != "" {
			t += ": " + strings.ReplaceAll(e.Pages, "–", "-")
		}
		add(t)
	case Webpage:
		if e.Accessed != "" {
			add(". [" + e.Accessed + "]")
		}
	default:
		if w := strings.TrimSuffix(where(e), ". "); w != "" {
			add(". " + w)
		}
	}
	switch {
	case e.DOI != "":
		add(". DOI:")
		runs = append(runs, Run{Text: e.DOI, Link: "https://doi.org/" + e.DOI})
	case e.URL != "":
		add(". ")
		runs = append(runs, Run{Text: e.URL, Link: e.URL})
	}
	add(".")
	return trimRuns(runs)
}

// trimRuns drops empty runs and the space at the end.
func trimRuns(runs []Run) []Run {
	var out []Run
	for _, r := range runs {
		if r.Text != "" {
			out = append(out, r)
		}
	}
	if n := len(out); n > 0 {
		out[n-1].Text = strings.TrimRight(out[n-1].Text, " ")
	}
	return out
}

// listName writes a name in a reference list: an organisation as it is,
// a Chinese name whole, a family name alone, and else a Western name as
// the style writes it (western).
func listName(n Name, western func(Name) string) string {
	switch {
	case n.Literal != "":
		return n.Literal
	case isCJK(n.Family) || isCJK(n.Given):
		return n.Family + n.Given
	case n.Given != "":
		return western(n)
	}
	return n.Family
}

// Package publication reads a publication definition (publication.yaml): an
// Outlook edition or a joint policy study, its titles in every language, the
// ordered chapters and the template it is set in.
package publication

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/strictyaml"
	"go.yaml.in/yaml/v4"
)

// Languages the pipeline publishes in, in edition order.
var Languages = []string{"en", "zh"}

// Text is a string given in several languages, keyed by language code.
type Text map[string]string

// In returns the text in lang, falling back to English.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t["en"]
}

// Publication is the definition of one report.
type Publication struct {
	ID         string `yaml:"id"`
	Kind       string `yaml:"kind"` // outlook | policy-study
	Year       int    `yaml:"year"`
	Date       string `yaml:"date"` // YYYY-MM-DD; fixes the PDF dates
	Title      Text   `yaml:"title"`
	Subtitle   Text   `yaml:"subtitle"`
	ShortTitle Text   `yaml:"short_title"` // running heads; defaults to Title
	Edition    Text   `yaml:"edition"`
	Notice     Text   `yaml:"notice"` // e.g. "Sample edition: illustrative content and data"
	Publisher  Text   `yaml:"publisher"`
	Editors    []Text `yaml:"editors"`
	Citation   Text   `yaml:"citation"`
	Disclaimer Text   `yaml:"disclaimer"`
	Copyright  Text   `yaml:"copyright"`
	// ISBN of each edition (ISBN-13, or ISBN-10; hyphens allowed), its
	// check digit verified.
	ISBN Text `yaml:"isbn"`
	// DOI of the publication (10.xxxx/...).
	DOI string `yaml:"doi"`
	// Address of the publisher, in each language.
	Address Text `yaml:"address"`
	// Licence the publication is released under.
	Licence  *Licence `yaml:"licence"`
	Keywords Text     `yaml:"keywords"`
	// Summary is a short abstract for the public catalogue.
	Summary Text `yaml:"summary"`
	// Topics are ids from the vocabulary Topics, for the catalogue's filter.
	Topics    []string `yaml:"topics"`
	Languages []string `yaml:"languages"`
	Chapters  []string `yaml:"chapters"`
	Template  string   `yaml:"template"`
	// Appendices lists the generated appendices, lettered A, B, C... in
	// this order: action-plan-status, capacity-building,
	// institutions-funding (see AppendixKinds).
	Appendices []string `yaml:"appendices"`
	// AsOf is the date the appendices report progress at (default: Date).
	AsOf string `yaml:"as_of"`
	// Plan names the plan register the appendices report on (default:
	// action-plan-2011-2013).
	Plan string `yaml:"plan"`
	// Bibliography names the files the chapters cite from: BibTeX (.bib)
	// or CSL-JSON (.json), in the publication's directory (a directory
	// build) or submitted to the store under their names.
	Bibliography []string `yaml:"bibliography"`
	// Front lists the chapters (of Chapters) set in the front matter,
	// unnumbered, before the contents, with roman folios: a foreword,
	// acknowledgements. They are drafts like any chapter.
	Front []string `yaml:"front"`
	// SummaryChapter names the chapter (of Chapters) that is the summary
	// for policymakers: a front chapter (added to Front when not listed
	// there), also built as a PDF of its own per language.
	SummaryChapter string `yaml:"summary_chapter"`
	// Glossary names the glossary file (glossary.yaml): the terms the
	// abbreviations list and the glossary explain.
	Glossary string `yaml:"glossary"`

	// File is where the definition was read from; Dir its directory.
	File string `yaml:"-"`
	Dir  string `yaml:"-"`
	// ChapterLine gives the line of publication.yaml that lists each
	// chapter (its first listing), for error messages.
	ChapterLine  map[string]int `yaml:"-"`
	chapterLines []int          // the line of each entry of Chapters
}

// AppendixKinds are the appendices a build can generate from the plan
// tracker.
var AppendixKinds = []string{"action-plan-status", "capacity-building", "institutions-funding"}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// IDPattern says what a publication or chapter id may look like.
const IDPattern = "lower-case letters, digits and hyphens, starting with a letter or digit"

// ValidID reports whether s is a usable publication or chapter id.
func ValidID(s string) bool { return idRE.MatchString(s) }

// Load reads and validates a publication.yaml.
func Load(file string) (*Publication, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read publication definition: %w", err)
	}
	p, err := Parse(file, data)
	if err != nil {
		return nil, err
	}
	p.Dir = filepath.Dir(file)
	return p, nil
}

// Parse validates the YAML text of a publication definition named file.
func Parse(file string, data []byte) (*Publication, error) {
	var p Publication
	if err := strictyaml.Decode(file, data, 1, &p); err != nil {
		return nil, err
	}
	p.File = file
	p.chapterLines = chapterLines(data)
	p.ChapterLine = map[string]int{}
	for i, c := range p.Chapters {
		if _, ok := p.ChapterLine[c]; !ok && i < len(p.chapterLines) {
			p.ChapterLine[c] = p.chapterLines[i]
		}
	}
	var errs diag.List
	bad := func(format string, args ...any) { errs.Add(diag.Errorf(file, 0, format, args...)) }
	badAt := func(line int, format string, args ...any) { errs.Add(diag.Errorf(file, line, format, args...)) }
	if !ValidID(p.ID) {
		bad("id %q is not valid: use %s", p.ID, IDPattern)
	}
	if p.Kind != "outlook" && p.Kind != "policy-study" {
		bad("kind %q is not known: use outlook or policy-study", p.Kind)
	}
	if len(p.Languages) == 0 {
		p.Languages = Languages
	}
	for _, l := range p.Languages {
		if l != "en" && l != "zh" {
			bad("language %q is not supported: use en and zh", l)
		}
	}
	if _, err := p.Time(); err != nil {
		bad("date %q is not a date: write it as YYYY-MM-DD", p.Date)
	}
	for _, l := range p.Languages {
		if p.Title[l] == "" {
			bad("title has no %q text: give the title in every language of the publication", l)
		}
	}
	if len(p.Chapters) == 0 {
		bad("no chapters listed: list the chapter ids in reading order under chapters:")
	}
	seen := map[string]bool{}
	for i, c := range p.Chapters {
		line := 0
		if i < len(p.chapterLines) {
			line = p.chapterLines[i]
		}
		if !ValidID(c) {
			badAt(line, "chapter id %q is not valid: use %s", c, IDPattern)
		}
		if seen[c] {
			badAt(line, "chapter %q is listed twice", c)
		}
		seen[c] = true
	}
	if p.Template == "" {
		p.Template = "outlook"
	}
	seenAppx := map[string]bool{}
	for _, a := range p.Appendices {
		if !slices.Contains(AppendixKinds, a) {
			bad("appendix %q is not known: use %s", a, strings.Join(AppendixKinds, ", "))
		}
		if seenAppx[a] {
			bad("appendix %q is listed twice", a)
		}
		seenAppx[a] = true
	}
	if p.AsOf == "" {
		p.AsOf = p.Date
	} else if _, err := time.Parse("2006-01-02", p.AsOf); err != nil {
		bad("as_of %q is not a date: write it as YYYY-MM-DD", p.AsOf)
	}
	p.checkFiles(bad)
	if sc := p.SummaryChapter; sc != "" {
		if !slices.Contains(p.Chapters, sc) {
			bad("summary_chapter %q is not one of the chapters: list it under chapters: too", sc)
		} else if !slices.Contains(p.Front, sc) {
			p.Front = append(p.Front, sc)
		}
	}
	for _, f := range p.Front {
		if !slices.Contains(p.Chapters, f) {
			bad("front chapter %q is not one of the chapters: list it under chapters: too", f)
		}
	}
	seenTopic := map[string]bool{}
	for _, t := range p.Topics {
		if _, ok := Topics[t]; !ok {
			bad("topic %q is not known: use %s", t, strings.Join(TopicIDs(), ", "))
		}
		if seenTopic[t] {
			bad("topic %q is listed twice", t)
		}
		seenTopic[t] = true
	}
	if len(p.ShortTitle) == 0 {
		p.ShortTitle = p.Title
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &p, nil
}

// checkFiles checks the imprint's identifiers and the files the
// publication names (glossary, bibliography), reporting with bad.
func (p *Publication) checkFiles(bad func(format string, args ...any)) {
	for _, lang := range sortedLangs(p.ISBN) {
		if _, err := CheckISBN(p.ISBN[lang]); err != nil {
			bad("isbn.%s: %v", lang, err)
		}
	}
	if p.DOI != "" && (!strings.HasPrefix(p.DOI, "10.") || !strings.Contains(p.DOI, "/")) {
		bad("doi %q is not a DOI: write it as 10.xxxx/suffix, without https://doi.org/", p.DOI)
	}
	if l := p.Licence; l != nil && (l.Name == "" || l.URL != "" && !strings.HasPrefix(l.URL, "https://") && !strings.HasPrefix(l.URL, "http://")) {
		bad("licence needs a name and, if any, an http(s) url: licence: {name: CC BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}")
	}
	if g := p.Glossary; g != "" {
		name := strings.TrimSuffix(g, path.Ext(g))
		if path.Ext(g) != ".yaml" || strings.ContainsAny(g, `/\\`) || !ValidID(name) {
			bad("glossary %q is not a .yaml file name of the publication's directory: use %s.yaml", g, IDPattern)
		}
	}
	seenBib := map[string]bool{}
	for _, b := range p.Bibliography {
		name, ext := BibliographyName(b)
		switch {
		case ext != ".bib" && ext != ".json":
			bad("bibliography %q is neither BibTeX (.bib) nor CSL-JSON (.json)", b)
		case strings.ContainsAny(b, `/\`) || !ValidID(name):
			bad("bibliography %q is not a file name of the publication's directory: use %s and .bib or .json", b, IDPattern)
		case seenBib[name]:
			bad("bibliography %q is listed twice", b)
		}
		seenBib[name] = true
	}
}

// Licence is a publication's licence: its name and where its text is.
type Licence struct {
	Name string `yaml:"name"` // CC BY 4.0
	URL  string `yaml:"url"`  // https://creativecommons.org/licenses/by/4.0/
}

// CheckISBN verifies an ISBN-13 or ISBN-10 (hyphens and spaces allowed)
// and returns its digits, or says what is wrong: the digit count, or the
// check digit it should have.
func CheckISBN(s string) (string, error) {
	d := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	switch len(d) {
	case 13:
		sum := 0
		for i, r := range d {
			if r < '0' || r > '9' {
				return "", fmt.Errorf("ISBN %q has a character that is not a digit", s)
			}
			w := 1
			if i%2 == 1 {
				w = 3
			}
			if i < 12 {
				sum += w * int(r-'0')
			}
		}
		if !strings.HasPrefix(d, "978") && !strings.HasPrefix(d, "979") {
			return "", fmt.Errorf("ISBN %q does not begin with 978 or 979", s)
		}
		if check := (10 - sum%10) % 10; int(d[12]-'0') != check {
			return "", fmt.Errorf("ISBN %q has the check digit %c; it should be %d: check the number", s, d[12], check)
		}
	case 10:
		sum := 0
		for i, r := range d {
			v := int(r - '0')
			switch {
			case r == 'X' && i == 9:
				v = 10
			case r < '0' || r > '9':
				return "", fmt.Errorf("ISBN %q has a character that is not a digit", s)
			}
			sum += (10 - i) * v
		}
		if sum%11 != 0 {
			return "", fmt.Errorf("ISBN %q has a wrong check digit: check the number", s)
		}
	default:
		return "", fmt.Errorf("ISBN %q has %d digits; an ISBN has 13 (or 10)", s, len(d))
	}
	return d, nil
}

// BibliographyName splits a bibliography file name into its name (the
// item it is stored as) and its extension, in lower case.
func BibliographyName(file string) (name, ext string) {
	ext = strings.ToLower(path.Ext(file))
	return strings.TrimSuffix(file, path.Ext(file)), ext
}

// Time is the publication date, used for document dates so that builds are
// reproducible.
func (p *Publication) Time() (time.Time, error) {
	return time.Parse("2006-01-02", p.Date)
}

// chapterLines finds the line of each entry of the top-level chapters list.
func chapterLines(data []byte) []int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	doc := root.Content[0]
	var lines []int
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "chapters" {
			for _, c := range doc.Content[i+1].Content {
				lines = append(lines, c.Line)
			}
		}
	}
	return lines
}

// sortedLangs lists the languages of a text in order, for stable messages.
func sortedLangs(t Text) []string {
	out := make([]string, 0, len(t))
	for l := range t {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

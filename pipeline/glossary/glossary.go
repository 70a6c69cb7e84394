// Package glossary reads a publication's glossary (glossary.yaml: each
// term with its expansion in English and Chinese, and optionally a
// definition in both), finds the terms a text uses, and lists the
// all-capital tokens a text uses that the glossary lacks.
package glossary

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/strictyaml"
	"go.yaml.in/yaml/v4"
)

// MaxSize is the largest glossary file read.
const MaxSize = 1 << 20

// Entry is one term: an abbreviation ("AMS") or a word ("eco-label"),
// what it stands for in each language, and its definition.
type Entry struct {
	Term       string           `yaml:"term"`
	EN         string           `yaml:"en"`
	ZH         string           `yaml:"zh"`
	Definition publication.Text `yaml:"definition"`
	Line       int              `yaml:"-"`
}

// Expansion is what the term stands for in lang.
func (e *Entry) Expansion(lang string) string {
	if lang == "zh" && e.ZH != "" {
		return e.ZH
	}
	return e.EN
}

// Glossary is a publication's glossary, by term.
type Glossary struct {
	File    string
	Entries []*Entry
	byTerm  map[string]*Entry
}

// Parse reads glossary.yaml: a list of entries. Every entry needs a term
// and its expansion in both languages; a term given twice is an error at
// its second line.
func Parse(file string, data []byte) (*Glossary, error) {
	if len(data) > MaxSize {
		return nil, diag.At(file, 0, fmt.Sprintf("glossary is %d bytes, more than the %d allowed", len(data), MaxSize), "split the glossary, or keep only the terms the chapters use")
	}
	var doc struct {
		Terms []Entry `yaml:"terms"`
	}
	if err := strictyaml.Decode(file, data, 1, &doc); err != nil {
		return nil, err
	}
	g := &Glossary{File: file, byTerm: map[string]*Entry{}}
	lines := termLines(data)
	var errs diag.List
	for i := range doc.Terms {
		e := &doc.Terms[i]
		if i < len(lines) {
			e.Line = lines[i]
		}
		e.Term = strings.TrimSpace(e.Term)
		switch {
		case e.Term == "":
			errs.Add(diag.At(file, e.Line, "a glossary entry has no term", "write - term: AMS, with en: and zh:"))
			continue
		case e.EN == "" || e.ZH == "":
			errs.Add(diag.At(file, e.Line, fmt.Sprintf("glossary term %q lacks its English or Chinese", e.Term), "give both: en: ASEAN Member States, zh: 东盟成员国"))
		}
		if prev, ok := g.byTerm[e.Term]; ok {
			errs.Add(diag.At(file, e.Line, fmt.Sprintf("glossary term %q is given twice (first at line %d)", e.Term, prev.Line), "keep one entry per term"))
			continue
		}
		g.byTerm[e.Term] = e
		g.Entries = append(g.Entries, e)
	}
	return g, errs.Err()
}

// termLines finds the line of each entry of the file's terms, in order.
func termLines(data []byte) []int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "terms" {
			var out []int
			for _, it := range root.Content[i+1].Content {
				out = append(out, it.Line)
			}
			return out
		}
	}
	return nil
}

// Entry returns the entry of term.
func (g *Glossary) Entry(term string) (*Entry, bool) {
	if g == nil {
		return nil, false
	}
	e, ok := g.byTerm[term]
	return e, ok
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}.-]*`)

// capsRE is an all-capital token of 2 to 6 letters: what the preflight
// expects the glossary to explain.
var capsRE = regexp.MustCompile(`^[A-Z]{2,6}$`)

// Used lists the entries whose term occurs in the texts as a whole word
// (Latin terms), or anywhere (Chinese ones), sorted by term.
func (g *Glossary) Used(texts []string) []*Entry {
	if g == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, t := range texts {
		for _, w := range wordRE.FindAllString(t, -1) {
			w = strings.TrimRight(w, ".-")
			if _, ok := g.byTerm[w]; ok {
				seen[w] = true
			}
		}
		for _, e := range g.Entries {
			if !seen[e.Term] && !isLatin(e.Term) && strings.Contains(t, e.Term) {
				seen[e.Term] = true
			}
		}
	}
	var out []*Entry
	for _, e := range g.Entries {
		if seen[e.Term] {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Term) < strings.ToLower(out[j].Term) })
	return out
}

// Missing lists the all-capital tokens of 2 to 6 letters the texts use
// and the glossary lacks, each once, in order of first use.
func (g *Glossary) Missing(texts []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, w := range wordRE.FindAllString(t, -1) {
			w = strings.TrimRight(w, ".-")
			if !capsRE.MatchString(w) || seen[w] {
				continue
			}
			seen[w] = true
			if _, ok := g.Entry(w); !ok {
				out = append(out, w)
			}
		}
	}
	return out
}

func isLatin(s string) bool {
	for _, r := range s {
		if r > 0x2FF {
			return false
		}
	}
	return true
}

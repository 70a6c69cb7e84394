package typeset

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"github.com/aceo-project/aceo/pipeline/hyphen"
	"github.com/aceo-project/aceo/pipeline/strictyaml"
	"go.yaml.in/yaml/v4"
)

// Template is the design of a report: page geometry, type sizes, colours,
// the font stack for each role and language, and the labels printed in
// each language. It is read from templates/<name>.yaml.
type Template struct {
	Name     string     `yaml:"name"`
	PageMM   [2]float64 `yaml:"page_mm"` // width, height
	MarginMM struct {
		Top    float64 `yaml:"top"`
		Bottom float64 `yaml:"bottom"`
		Inner  float64 `yaml:"inner"`
		Outer  float64 `yaml:"outer"`
	} `yaml:"margins_mm"`
	HeadMM float64 `yaml:"running_head_mm"` // baseline of the running head above the text area
	FootMM float64 `yaml:"running_foot_mm"` // baseline of the folio below the text area

	Sizes  Sizes            `yaml:"sizes"`
	Colors map[string]Color `yaml:"colors"`
	// Fonts maps a language to roles (serif, serif-bold, serif-italic,
	// serif-bolditalic, sans, sans-bold, mono) to a fallback list.
	Fonts map[string]map[string][]FontRef `yaml:"fonts"`
	// Hyphenation maps a language to a hyphenation pattern file
	// (hyph_*.dic); languages without one are not hyphenated.
	Hyphenation map[string]string `yaml:"hyphenation"`
	// References places the reference lists: "chapter" (the default, at
	// the end of each chapter, as GEO does) or "book" (once, after the
	// last chapter).
	References string `yaml:"references"`
	// Labels maps a language to the words the template prints.
	Labels map[string]map[string]string `yaml:"labels"`

	File string `yaml:"-"`
}

// Sizes are type sizes and leadings in points.
type Sizes struct {
	Body         float64 `yaml:"body"`
	BodyLeading  float64 `yaml:"body_leading"`
	Chapter      float64 `yaml:"chapter"`
	H1           float64 `yaml:"h1"`
	H2           float64 `yaml:"h2"`
	H3           float64 `yaml:"h3"`
	Table        float64 `yaml:"table"`
	TableMin     float64 `yaml:"table_min"`
	Caption      float64 `yaml:"caption"`
	Footnote     float64 `yaml:"footnote"`
	RunningHead  float64 `yaml:"running_head"`
	ParaSpace    float64 `yaml:"para_space"`
	ZhBody       float64 `yaml:"zh_body"`
	ZhLeading    float64 `yaml:"zh_leading"`
	CoverTitle   float64 `yaml:"cover_title"`
	CoverSubject float64 `yaml:"cover_subtitle"`
}

// FontRef names a font file and, optionally, characters that should not be
// taken from it (so that Chinese quotation marks come from the Chinese face
// even when the Latin face has them). Written as a plain file name or as
// {file: name.ttf, skip: "U+2018-U+201F"}; one face of a collection as
// {file: NotoSerifCJK-Regular.ttc, face: NotoSerifCJKsc-Regular}.
type FontRef struct {
	File string // the file name, then "#" and the face's PostScript name for a face of a collection
	Skip []RuneRange
}

// RuneRange is an inclusive range of code points.
type RuneRange struct{ Lo, Hi rune }

// UnmarshalYAML accepts a string or a mapping.
func (f *FontRef) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		f.File = n.Value
		return nil
	}
	var v struct {
		File string `yaml:"file"`
		Face string `yaml:"face"`
		Skip string `yaml:"skip"`
	}
	if err := n.Decode(&v); err != nil {
		return err
	}
	f.File = v.File
	if v.Face != "" {
		// one face of a collection, by its PostScript name
		f.File += "#" + v.Face
	}
	for _, part := range strings.FieldsFunc(v.Skip, func(r rune) bool { return r == ',' || r == ' ' }) {
		lo, hi, _ := strings.Cut(part, "-")
		if hi == "" {
			hi = lo
		}
		a, err1 := parseCodePoint(lo)
		b, err2 := parseCodePoint(hi)
		if err1 != nil || err2 != nil || b < a {
			return fmt.Errorf("line %d: skip range %q: write code points as U+2018 or ranges as U+2018-U+201F", n.Line, part)
		}
		f.Skip = append(f.Skip, RuneRange{a, b})
	}
	return nil
}

func parseCodePoint(s string) (rune, error) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "U+")
	v, err := strconv.ParseUint(s, 16, 32)
	return rune(v), err
}

// Color is an RGB colour written as "#rrggbb".
type Color struct{ R, G, B uint8 }

// UnmarshalYAML parses "#rrggbb".
func (c *Color) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimPrefix(n.Value, "#")
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil || len(s) != 6 {
		return fmt.Errorf("line %d: colour %q: write colours as #rrggbb", n.Line, n.Value)
	}
	*c = Color{uint8(v >> 16), uint8(v >> 8), uint8(v)}
	return nil
}

// Roles every language of a template must give a font list for.
var Roles = []string{"serif", "serif-bold", "serif-italic", "serif-bolditalic", "sans", "sans-bold", "mono"}

// LoadTemplate reads <name>.yaml from the template files dir.
func LoadTemplate(dir fs.FS, name string) (*Template, error) {
	file := "templates/" + name + ".yaml"
	data, err := fs.ReadFile(dir, name+".yaml")
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", name, err)
	}
	var t Template
	if err := strictyaml.Decode(file, data, 1, &t); err != nil {
		return nil, err
	}
	t.File = file
	for _, lang := range []string{"en", "zh"} {
		for _, role := range Roles {
			if len(t.Fonts[lang][role]) == 0 {
				return nil, fmt.Errorf("%s: fonts.%s.%s is empty: list at least one font file for this role", file, lang, role)
			}
		}
		if t.Labels[lang] == nil {
			return nil, fmt.Errorf("%s: labels.%s is missing", file, lang)
		}
	}
	switch t.References {
	case "":
		t.References = "chapter"
	case "chapter", "book":
	default:
		return nil, fmt.Errorf("%s: references: %q is neither chapter nor book", file, t.References)
	}
	if t.PageMM[0] <= 0 || t.PageMM[1] <= 0 || t.Sizes.Body <= 0 || t.Sizes.ZhBody <= 0 {
		return nil, fmt.Errorf("%s: page_mm and sizes.body/zh_body must be set", file)
	}
	return &t, nil
}

// Label returns the template's word for key in lang, or key itself.
func (t *Template) Label(lang, key string) string {
	if s, ok := t.Labels[lang][key]; ok {
		return s
	}
	if s, ok := t.Labels["en"][key]; ok {
		return s
	}
	return key
}

// Color returns the named colour, black when it is not set.
func (t *Template) Color(name string) Color { return t.Colors[name] }

const mm = 72 / 25.4

// Stack is a font fallback list: each character is set in the first face
// that has it and does not skip it. The first face is loaded at once; the
// fallbacks only when a character needs them, so an English edition never
// reads the Chinese Kai face. One Stack serves one edition (one goroutine).
type Stack struct {
	refs  []FontRef
	faces []*Face // nil until loaded
	fs    *FontSet
	err   error // first fallback that failed to load
}

// face returns face i, loading it on first use; nil when it cannot load.
func (s *Stack) face(i int) *Face {
	if s.faces[i] == nil {
		f, err := s.fs.Load(s.refs[i].File)
		if err != nil {
			if s.err == nil {
				s.err = err
			}
			return nil
		}
		s.faces[i] = f
	}
	return s.faces[i]
}

// FaceFor returns the face for r and false when no face has it.
func (s *Stack) FaceFor(r rune) (*Face, bool) {
next:
	for i := range s.refs {
		f := s.face(i)
		if f == nil || !f.Has(r) {
			continue
		}
		for _, sk := range s.refs[i].Skip {
			if r >= sk.Lo && r <= sk.Hi {
				continue next
			}
		}
		return f, true
	}
	return s.faces[0], false
}

// FontFiles lists every font file the template names, once each, in order.
func (t *Template) FontFiles() []string {
	var out []string
	seen := map[string]bool{}
	for _, lang := range []string{"en", "zh"} {
		for _, role := range Roles {
			for _, ref := range t.Fonts[lang][role] {
				if !seen[ref.File] {
					seen[ref.File] = true
					out = append(out, ref.File)
				}
			}
		}
	}
	return out
}

// PrimaryFontFiles lists the first font of every role and language: the
// ones every build loads.
func (t *Template) PrimaryFontFiles() []string {
	var out []string
	seen := map[string]bool{}
	for _, lang := range []string{"en", "zh"} {
		for _, role := range Roles {
			if f := t.Fonts[lang][role][0].File; !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// Stacks returns the font stacks of one language. Every font the template
// names must exist; the first of each role is loaded now, the others when
// needed.
func (t *Template) Stacks(fs *FontSet, lang string) (map[string]*Stack, error) {
	out := map[string]*Stack{}
	for _, role := range Roles {
		refs := t.Fonts[lang][role]
		for _, ref := range refs {
			if _, err := fs.Path(ref.File); err != nil {
				return nil, fmt.Errorf("template %s, fonts.%s.%s: %w", t.Name, lang, role, err)
			}
		}
		st := &Stack{refs: refs, faces: make([]*Face, len(refs)), fs: fs}
		if st.face(0) == nil {
			return nil, fmt.Errorf("template %s, fonts.%s.%s: %w", t.Name, lang, role, st.err)
		}
		out[role] = st
	}
	return out, nil
}

// loadErr is the first error met loading a fallback font of any stack.
func loadErr(stacks map[string]*Stack) error {
	for _, role := range Roles {
		if st := stacks[role]; st != nil && st.err != nil {
			return st.err
		}
	}
	return nil
}

var patternCache sync.Map // path -> *patternLoad

type patternLoad struct {
	once sync.Once
	p    *hyphen.Patterns
	err  error
}

// Patterns returns the hyphenation patterns of lang, or nil when the
// template hyphenates no text in that language. Files are read once per
// process.
func (t *Template) Patterns(lang string) (*hyphen.Patterns, error) {
	name := t.Hyphenation[lang]
	if name == "" {
		return nil, nil
	}
	path, err := hyphen.Find(name, hyphen.DefaultDirs)
	if err != nil {
		return nil, fmt.Errorf("template %s, hyphenation.%s: %w", t.Name, lang, err)
	}
	v, _ := patternCache.LoadOrStore(path, &patternLoad{})
	l := v.(*patternLoad)
	l.once.Do(func() { l.p, l.err = hyphen.Load(path) })
	return l.p, l.err
}

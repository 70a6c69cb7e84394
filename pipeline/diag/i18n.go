package diag

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// Messages are written in English, where they are made. Their Chinese
// translations are kept in a catalogue keyed by the English format
// ("unknown field %q"), as gettext keys them: Translate recognises the
// kind of a message by its format, and puts the same values into the
// translation. A value that is itself a message (a %s that holds an
// explanation) is translated in turn; quoted values (%q) are the
// author's own text and are kept as they are. A message of no known kind
// (the text of a Go error, say) is shown as it is.

// Languages messages can be shown in.
var Languages = []string{"en", "zh"}

// catalogues maps a language to its translations of the English kinds.
var catalogues = map[string]map[string]string{"zh": zhMessages}

// kind is one compiled entry of a catalogue.
type kind struct {
	re      *regexp.Regexp
	verbs   []string // the English verbs, in order ("q", "s", "d")
	target  []piece  // the translation
	literal int      // letters of literal text: the more, the more specific
	// wordless kinds ("%s: %s") are only punctuation around values: they
	// apply when a value is translated, not to any text of that shape
	wordless bool
}

// piece of a translation: literal text, or the n-th value (0-based).
type piece struct {
	text string
	arg  int // -1 for text
}

var (
	compileOnce sync.Once
	compiled    map[string][]kind // by language, most specific first
)

// verbRE matches a fmt verb: flags, width, precision, an explicit
// argument index, and the verb letter.
var verbRE = regexp.MustCompile(`%[-+# 0]*\d*(?:\.\d+)?(?:\[(\d+)\])?([a-zA-Z%])`)

// Translate gives message s in lang: as it is for English or when no
// catalogue kind matches it, otherwise its translation. A message of
// several lines (a list of problems) is translated line by line.
func Translate(lang, s string) string {
	if lang == "en" || s == "" {
		return s
	}
	if !strings.Contains(s, "\n") {
		return translate(lang, s, 0)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		body := strings.TrimLeft(l, " ")
		lines[i] = l[:len(l)-len(body)] + translate(lang, body, 0)
	}
	return strings.Join(lines, "\n")
}

// Translated is err shown in lang: its text translated (Translate), and
// the error itself underneath for errors.Is and errors.As.
func Translated(lang string, err error) error {
	if err == nil || lang == "en" || lang == "" {
		return err
	}
	return translated{err, lang}
}

type translated struct {
	err  error
	lang string
}

func (t translated) Error() string { return Translate(t.lang, t.err.Error()) }
func (t translated) Unwrap() error { return t.err }

func translate(lang, s string, depth int) string {
	if lang == "en" || s == "" || depth > 3 {
		return s
	}
	compileOnce.Do(compile)
	for _, k := range compiled[lang] {
		m := k.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		var b strings.Builder
		changed := false
		for _, p := range k.target {
			if p.arg < 0 {
				b.WriteString(p.text)
				continue
			}
			if p.arg+1 >= len(m) {
				continue
			}
			v := m[p.arg+1]
			if k.verbs[p.arg] == "s" || k.verbs[p.arg] == "v" || k.verbs[p.arg] == "w" {
				tv := translate(lang, v, depth+1)
				changed = changed || tv != v
				v = tv
			}
			b.WriteString(v)
		}
		if k.wordless && !changed {
			continue
		}
		return b.String()
	}
	return s
}

// In returns a copy of e with its message and hint in lang.
func (e *Error) In(lang string) *Error {
	c := *e
	c.Msg = Translate(lang, e.Msg)
	c.Hint = Translate(lang, e.Hint)
	return &c
}

// In returns the problems in lang.
func (l List) In(lang string) List {
	out := make(List, len(l))
	for i, e := range l {
		out[i] = e.In(lang)
	}
	return out
}

// Localize returns err with its problems in lang: a List or an *Error is
// translated (and a list's first line is in lang too), any other error
// kept.
func Localize(lang string, err error) error {
	if err == nil || lang == "en" {
		return err
	}
	var l List
	if AsList(err, &l) {
		return langList{l.In(lang), lang}
	}
	return err
}

// langList is a List whose summary line is in a language.
type langList struct {
	List
	lang string
}

func (l langList) Error() string {
	if l.lang != "zh" || len(l.List) < 2 {
		return l.List.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "共 %d 个问题，第一个：%s", len(l.List), l.List[0].Error())
	for _, e := range l.List {
		b.WriteString("\n  " + e.Error())
	}
	return b.String()
}

// Unwrap gives the problems.
func (l langList) Unwrap() error { return l.List }

// AsList reports whether err is a List or an *Error, and sets *l to its
// problems.
func AsList(err error, l *List) bool {
	switch x := err.(type) {
	case List:
		*l = x
		return true
	case *Error:
		*l = List{x}
		return true
	}
	return false
}

func compile() {
	compiled = map[string][]kind{}
	for lang, cat := range catalogues {
		var ks []kind
		for en, tr := range cat {
			k, ok := compileKind(en, tr)
			if ok {
				ks = append(ks, k)
			}
		}
		sort.SliceStable(ks, func(i, j int) bool {
			if ks[i].literal != ks[j].literal {
				return ks[i].literal > ks[j].literal
			}
			return ks[i].re.String() < ks[j].re.String()
		})
		compiled[lang] = ks
	}
}

// compileKind turns an English format into a pattern that recognises its
// messages, and the translation into pieces.
func compileKind(en, tr string) (kind, bool) {
	var k kind
	var re strings.Builder
	re.WriteString("^")
	last := 0
	for _, m := range verbRE.FindAllStringSubmatchIndex(en, -1) {
		lit := en[last:m[0]]
		re.WriteString(regexp.QuoteMeta(lit))
		k.literal += len(lit)
		last = m[1]
		verb := en[m[4]:m[5]]
		switch verb {
		case "%":
			re.WriteString("%")
			k.literal++
			continue
		case "q":
			re.WriteString(`("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)+'|` + "`[^`]*`" + `)`)
		case "d":
			re.WriteString(`(-?\d+)`)
		case "f", "g", "e":
			re.WriteString(`(-?[0-9.e+]+)`)
		case "X", "x":
			re.WriteString(`([0-9A-Fa-f]+)`)
		case "c":
			re.WriteString(`(.)`)
		default: // s, v
			re.WriteString(`((?s).*?)`)
		}
		k.verbs = append(k.verbs, verb)
	}
	lit := en[last:]
	re.WriteString(regexp.QuoteMeta(lit) + "$")
	k.literal += len(lit)
	r, err := regexp.Compile(re.String())
	if err != nil {
		return k, false
	}
	k.re = r
	k.wordless = !hasWords(en)
	next := 0
	last = 0
	for _, m := range verbRE.FindAllStringSubmatchIndex(tr, -1) {
		k.target = append(k.target, piece{text: tr[last:m[0]], arg: -1})
		last = m[1]
		if tr[m[4]:m[5]] == "%" {
			k.target = append(k.target, piece{text: "%", arg: -1})
			continue
		}
		n := next
		if m[2] >= 0 {
			i, _ := strconv.Atoi(tr[m[2]:m[3]])
			n = i - 1
		}
		next = n + 1
		k.target = append(k.target, piece{arg: n})
	}
	k.target = append(k.target, piece{text: tr[last:], arg: -1})
	return k, true
}

// sameVerbs reports whether a translation takes the same values as its
// English format: as many, each used, of the same kinds.
func sameVerbs(en, tr string) error {
	var want []string
	for _, m := range verbRE.FindAllStringSubmatch(en, -1) {
		if m[2] != "%" {
			want = append(want, strings.Replace(m[2], "w", "s", 1)) // %w prints as %s
		}
	}
	got := make([]string, len(want))
	next := 0
	for _, m := range verbRE.FindAllStringSubmatch(tr, -1) {
		if m[2] == "%" {
			continue
		}
		n := next
		if m[1] != "" {
			i, _ := strconv.Atoi(m[1])
			n = i - 1
		}
		next = n + 1
		if n < 0 || n >= len(want) {
			return errorString("the translation uses a value the English does not have")
		}
		got[n] = strings.Replace(m[2], "w", "s", 1)
	}
	for i := range want {
		if got[i] != want[i] {
			return errorString("value " + strconv.Itoa(i+1) + " is %" + want[i] + " in English, %" + got[i] + " in the translation")
		}
	}
	return nil
}

type errorString string

func (e errorString) Error() string { return string(e) }

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// hasWords reports whether a format has words to translate, beyond its
// values and upper-case names (CSV, YAML, MB).
func hasWords(format string) bool {
	rest := verbRE.ReplaceAllString(format, "")
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if strings.ToUpper(w) != w {
			return true
		}
	}
	return false
}

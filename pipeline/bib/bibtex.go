package bib

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/diag"
	"golang.org/x/text/unicode/norm"
)

// ParseBibTeX reads the entries of a BibTeX file. Values may be braced,
// quoted, numbers or @string macros joined with #; braces protect text
// and are dropped, {{Corporate Author}} is an organisation, names are
// separated by "and", LaTeX accents (\'{e}, {\"o}, \v{s}, \ss...) become
// the Unicode letters, -- and --- become dashes, and langid (or language)
// says a work is Chinese. Every malformed entry is reported at its line,
// and reading goes on with the next entry.
func ParseBibTeX(file string, data []byte) ([]*Entry, error) {
	if len(data) > MaxFileSize {
		return nil, diag.At(file, 0, fmt.Sprintf("bibliography is %d bytes, more than the %d allowed", len(data), MaxFileSize), "split it into several files")
	}
	if !utf8.Valid(data) {
		line := 1 + strings.Count(string(data[:firstInvalid(data)]), "\n")
		return nil, diag.At(file, line, "not valid UTF-8", "save the file as UTF-8 (Zotero and JabRef do)")
	}
	p := &bibParser{file: file, src: data, line: 1, macros: map[string]string{}}
	for _, m := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		p.macros[m] = m
	}
	var out []*Entry
	var errs diag.List
	for p.skipTo('@') {
		start := p.line
		e, err := p.item()
		if err != nil {
			errs.Merge(err)
			p.recover()
			continue
		}
		if e == nil {
			continue // @comment, @preamble, @string
		}
		if len(out) >= MaxEntries {
			errs.Add(diag.At(file, start, fmt.Sprintf("more than %d entries", MaxEntries), "split the bibliography into several files"))
			break
		}
		e.File, e.Line = file, start
		out = append(out, e)
	}
	if err := errs.Err(); err != nil {
		return out, err
	}
	return out, nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// bibParser reads a BibTeX file byte by byte, counting lines.
type bibParser struct {
	file   string
	src    []byte
	pos    int
	line   int
	macros map[string]string
}

func (p *bibParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *bibParser) next() byte {
	c := p.src[p.pos]
	p.pos++
	if c == '\n' {
		p.line++
	}
	return c
}

func (p *bibParser) errorf(format string, args ...any) error {
	return diag.At(p.file, p.line, fmt.Sprintf(format, args...), "")
}

// skipTo moves past text up to c (text outside entries is a comment);
// false at the end.
func (p *bibParser) skipTo(c byte) bool {
	for p.pos < len(p.src) {
		if p.next() == c {
			return true
		}
	}
	return false
}

// recover skips to the next line that starts an entry.
func (p *bibParser) recover() {
	for p.pos < len(p.src) {
		if p.src[p.pos] == '@' && (p.pos == 0 || p.src[p.pos-1] == '\n') {
			return
		}
		p.next()
	}
}

func (p *bibParser) spaces() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\n' || p.src[p.pos] == '\r') {
		p.next()
	}
}

// ident reads a type, key, field or macro name.
func (p *bibParser) ident() string {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == ',' || c == '=' || c == '{' || c == '}' || c == '(' || c == ')' || c == '#' || c == '"' || c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			break
		}
		p.next()
	}
	return string(p.src[start:p.pos])
}

// item reads what follows an @: an entry, or nil for @comment, @preamble
// and @string (whose macro is kept).
func (p *bibParser) item() (*Entry, error) {
	start := p.line
	typ := strings.ToLower(p.ident())
	p.spaces()
	open := p.peek()
	if open != '{' && open != '(' {
		return nil, diag.At(p.file, start, fmt.Sprintf("@%s is not followed by { or (", typ), "write @article{key, title = {...}, ...}")
	}
	p.next()
	closer := byte('}')
	if open == '(' {
		closer = ')'
	}
	switch typ {
	case "comment", "preamble":
		if _, err := p.braced(closer); err != nil {
			return nil, err
		}
		return nil, nil
	case "string":
		p.spaces()
		name := strings.ToLower(p.ident())
		p.spaces()
		if p.peek() != '=' {
			return nil, p.errorf("@string %s has no '='", name)
		}
		p.next()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.spaces()
		if p.peek() != closer {
			return nil, p.errorf("@string %s is not closed", name)
		}
		p.next()
		p.macros[name] = v
		return nil, nil
	}
	if typ == "" {
		return nil, diag.At(p.file, start, "an @ without an entry type", "write @article{key, ...}, or remove the @")
	}
	p.spaces()
	key := p.ident()
	p.spaces()
	if key == "" || p.peek() != ',' && p.peek() != closer {
		return nil, diag.At(p.file, start, fmt.Sprintf("@%s has no key", typ), "write @"+typ+"{key, title = {...}, ...}: the key is what chapters cite, as [@key]")
	}
	fields := map[string]string{}
	for {
		p.spaces()
		if p.peek() == ',' {
			p.next()
			p.spaces()
		}
		if p.pos >= len(p.src) || p.peek() == '@' && p.pos > 0 && p.src[p.pos-1] == '\n' {
			// the end, or the next entry at the start of a line
			return nil, diag.At(p.file, start, fmt.Sprintf("entry %q is not closed", key), "end it with } after its last field")
		}
		if p.peek() == closer {
			p.next()
			break
		}
		fline := p.line
		name := strings.ToLower(p.ident())
		p.spaces()
		if name == "" || p.peek() != '=' {
			return nil, diag.At(p.file, fline, fmt.Sprintf("entry %q: a field without '=' (%q)", key, name), "write name = {value}, fields separated by commas")
		}
		p.next()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if _, dup := fields[name]; dup {
			return nil, diag.At(p.file, fline, fmt.Sprintf("entry %q gives %s twice", key, name), "keep one")
		}
		fields[name] = v
	}
	return entryOf(typ, key, fields)
}

// value reads a field's value: parts joined with #.
func (p *bibParser) value() (string, error) {
	var b strings.Builder
	for {
		p.spaces()
		switch c := p.peek(); {
		case c == '{':
			p.next()
			s, err := p.braced('}')
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		case c == '"':
			p.next()
			s, err := p.quoted()
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		case c >= '0' && c <= '9':
			b.WriteString(p.ident())
		default:
			line := p.line
			name := strings.ToLower(p.ident())
			m, ok := p.macros[name]
			if !ok {
				if name == "" {
					return "", diag.At(p.file, line, "a field has no value", "write name = {value}")
				}
				return "", diag.At(p.file, line, fmt.Sprintf("unknown @string macro %q", name), "put the value in braces: {"+name+"}")
			}
			b.WriteString(m)
		}
		if b.Len() > MaxFieldBytes {
			return "", p.errorf("a field of more than %d bytes", MaxFieldBytes)
		}
		p.spaces()
		if p.peek() != '#' {
			return b.String(), nil
		}
		p.next()
	}
}

// braced reads up to the brace closing an opened one, nested braces kept
// (they protect text and are dropped later).
func (p *bibParser) braced(closer byte) (string, error) {
	start, line := p.pos, p.line
	depth := 0
	for p.pos < len(p.src) {
		switch c := p.next(); {
		case c == '\\' && p.pos < len(p.src):
			p.next() // an escaped character: \{ is not a brace
		case c == '\n' && p.peek() == '@':
			// an entry starts on this line: the brace was never closed
			return "", diag.At(p.file, line, "a { is never closed", "check the braces of this entry: each { needs its }")
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case c == closer && depth == 0:
			if p.pos-1-start > MaxFieldBytes {
				return "", diag.At(p.file, line, fmt.Sprintf("a value of more than %d bytes", MaxFieldBytes), "")
			}
			return string(p.src[start : p.pos-1]), nil
		}
	}
	return "", diag.At(p.file, line, "a { is never closed", "check the braces of this entry: each { needs its }")
}

// quoted reads a "..." value (a quote inside braces does not end it).
func (p *bibParser) quoted() (string, error) {
	start, line := p.pos, p.line
	depth := 0
	for p.pos < len(p.src) {
		switch c := p.next(); {
		case c == '\\' && p.pos < len(p.src):
			p.next()
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		case c == '"' && depth == 0:
			return string(p.src[start : p.pos-1]), nil
		}
	}
	return "", diag.At(p.file, line, "a \" is never closed", "end the value with \", or put it in braces")
}

// bibTypes maps BibTeX and biblatex types to CSL types.
var bibTypes = map[string]string{
	"article": Article, "book": Book, "inbook": Chapter, "incollection": Chapter, "techreport": Report, "report": Report,
	"online": Webpage, "webpage": Webpage, "electronic": Webpage, "www": Webpage, "phdthesis": Thesis, "mastersthesis": Thesis,
	"thesis": Thesis, "inproceedings": Conference, "conference": Conference, "proceedings": Book, "dataset": Dataset,
	"manual": Report, "booklet": Book, "standard": Standard, "misc": Misc, "unpublished": Misc,
}

// entryOf makes an entry of a BibTeX entry's fields.
func entryOf(typ, key string, f map[string]string) (*Entry, error) {
	e := &Entry{Key: key, Type: bibTypes[typ]}
	if e.Type == "" {
		e.Type = Misc
	}
	text := func(names ...string) string {
		for _, n := range names {
			if v, ok := f[n]; ok {
				return latex(v)
			}
		}
		return ""
	}
	e.Authors = names(f["author"])
	e.Editors = names(f["editor"])
	e.Title = text("title")
	e.Container = text("journal", "journaltitle", "booktitle")
	e.Publisher = text("publisher", "institution", "organization", "school")
	e.Place = text("address", "location")
	e.Volume = text("volume")
	if e.Type == Report {
		e.Number = text("number")
	} else {
		e.Issue = text("number", "issue")
	}
	e.Pages = text("pages")
	e.Edition = text("edition")
	e.DOI = strings.TrimPrefix(strings.TrimPrefix(text("doi"), "https://doi.org/"), "http://dx.doi.org/")
	e.URL = strings.TrimSpace(f["url"])
	e.Accessed = text("urldate")
	e.Date = text("date", "year")
	e.Year = yearOf(e.Date)
	e.Lang = langOf(text("langid", "language", "hyphenation"), e.Title)
	if len(e.Authors) > MaxNames || len(e.Editors) > MaxNames {
		return nil, fmt.Errorf("entry %q has more than %d names", key, MaxNames)
	}
	return e, nil
}

// langOf is "zh" for a work in Chinese: by its langid or language, else
// by its title.
func langOf(lang, title string) string {
	switch l := strings.ToLower(strings.TrimSpace(lang)); {
	case l == "":
	case strings.HasPrefix(l, "zh"), strings.HasPrefix(l, "chinese"), l == "中文":
		return "zh"
	default:
		return "en"
	}
	if isCJK(title) {
		return "zh"
	}
	return "en"
}

// names splits a BibTeX name list at its top-level "and"s.
func names(v string) []Name {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	var out []Name
	for _, part := range splitTop(v, " and ") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		out = append(out, nameOf(part))
	}
	return out
}

// nameOf reads one name: {Organisation} (wholly braced), "Family, Given",
// "Given Family" (with lower-case particles such as "van" kept with the
// family name), or a Chinese name written whole.
func nameOf(s string) Name {
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") && wholeBraced(s) {
		return Name{Literal: latex(s)}
	}
	if parts := splitTop(s, ","); len(parts) > 1 {
		return Name{Family: latex(strings.TrimSpace(parts[0])), Given: latex(strings.TrimSpace(parts[len(parts)-1]))}
	}
	words := splitTop(s, " ")
	var ws []string
	for _, w := range words {
		if w = strings.TrimSpace(w); w != "" {
			ws = append(ws, w)
		}
	}
	if len(ws) == 1 {
		return Name{Family: latex(ws[0])}
	}
	i := len(ws) - 1
	for i > 1 && startsLower(ws[i-1]) {
		i--
	}
	return Name{Family: latex(strings.Join(ws[i:], " ")), Given: latex(strings.Join(ws[:i], " "))}
}

func startsLower(w string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, "{"))
	return unicode.IsLower(r)
}

// wholeBraced reports whether s is one braced group ({...}, not {a} {b}).
func wholeBraced(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 && i < len(s)-1 {
				return false
			}
		}
	}
	return depth == 0
}

// splitTop splits s at sep outside braces (sep compared without case).
func splitTop(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	lower := strings.ToLower(s)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		default:
			if depth == 0 && strings.HasPrefix(lower[i:], sep) {
				out = append(out, s[start:i])
				i += len(sep) - 1
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// accents maps LaTeX accent commands to combining marks.
var accents = map[byte]rune{'\'': 0x301, '`': 0x300, '^': 0x302, '"': 0x308, '~': 0x303, '=': 0x304, '.': 0x307,
	'u': 0x306, 'v': 0x30C, 'H': 0x30B, 'c': 0x327, 'k': 0x328, 'r': 0x30A, 'd': 0x323, 'b': 0x331}

// letters maps LaTeX letter commands to letters.
var letters = map[string]string{"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
	"l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "textendash": "–", "textemdash": "—", "&": "&", "%": "%", "$": "$", "_": "_", "#": "#", "{": "{", "}": "}"}

// latex turns a BibTeX value into text: accents and letter commands into
// Unicode, -- and --- into dashes, ~ into a no-break space, braces
// dropped, spaces collapsed; the argument of other commands is kept.
func latex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i = command(s, i+1, &b)
		case c == '{' || c == '}':
			i++
		case c == '~':
			b.WriteRune('\u00a0')
			i++
		case c == '-' && strings.HasPrefix(s[i:], "---"):
			b.WriteRune('—')
			i += 3
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			b.WriteRune('–')
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return norm.NFC.String(strings.Join(strings.Fields(b.String()), " "))
}

// command writes the LaTeX command starting at s[i] (after its
// backslash) and returns where reading goes on.
func command(s string, i int, b *strings.Builder) int {
	if mark, ok := accents[s[i]]; ok && (!isLetter(s[i]) || i+1 < len(s) && (s[i+1] == '{' || s[i+1] == ' ')) {
		j := i + 1
		for j < len(s) && s[j] == ' ' {
			j++
		}
		base, end := "", j
		switch {
		case j < len(s) && s[j] == '{':
			k := strings.IndexByte(s[j:], '}')
			if k < 0 {
				return len(s)
			}
			base, end = s[j+1:j+k], j+k+1
		case j < len(s) && s[j] == '\\':
			// \'\i: an accent on a dotless i
			k := j + 1
			for k < len(s) && isLetter(s[k]) {
				k++
			}
			base, end = letters[s[j+1:k]], k
		case j < len(s):
			_, n := utf8.DecodeRuneInString(s[j:])
			base, end = s[j:j+n], j+n
		}
		if base == "ı" {
			base = "i"
		}
		b.WriteString(latex(base))
		b.WriteRune(mark)
		return end
	}
	if !isLetter(s[i]) {
		if l, ok := letters[s[i:i+1]]; ok {
			b.WriteString(l)
		}
		return i + 1
	}
	j := i
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	name := s[i:j]
	if l, ok := letters[name]; ok {
		b.WriteString(l)
		if j < len(s) && s[j] == ' ' {
			j++ // the space ending the command
		}
		return j
	}
	return j // another command (\emph, \textit): its argument is read as text
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// Package hyphen finds where English words may be hyphenated, by Liang's
// algorithm (the one TeX uses) over the pattern files that LibreOffice and
// Hunspell use (hyph_*.dic, on Debian in the hyphen-* packages).
//
// No Go module for this is served here, and the algorithm is short; the
// patterns, which are the real knowledge, come from the system like fonts.
package hyphen

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// Patterns is a loaded pattern set. It is safe for concurrent use.
type Patterns struct {
	pats     map[string][]uint8 // letters -> inter-letter values (len+1)
	maxLen   int
	leftMin  int // letters before the first hyphen
	rightMin int // letters after the last hyphen
}

// DefaultDirs are searched for pattern files named without a path.
var DefaultDirs = []string{"/usr/share/hyphen", "/usr/local/share/hyphen"}

// Find resolves a pattern file name in dirs.
func Find(name string, dirs []string) (string, error) {
	if filepath.IsAbs(name) || strings.ContainsRune(name, os.PathSeparator) {
		return name, nil
	}
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("hyphenation patterns %s not found in %s; install them (on Debian: apt-get install hyphen-en-us)", name, strings.Join(dirs, ", "))
}

// Load reads a hyph_*.dic file: a first line naming the encoding (only
// UTF-8 is accepted), optional LEFTHYPHENMIN/RIGHTHYPHENMIN lines, then one
// pattern per line such as ".ach4" or "4t1ion". Non-standard patterns
// (with "/") are skipped.
func Load(path string) (*Patterns, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read hyphenation patterns: %w", err)
	}
	return Parse(path, data)
}

// Parse reads patterns from data; name is used in errors.
func Parse(name string, data []byte) (*Patterns, error) {
	p := &Patterns{pats: map[string][]uint8{}, leftMin: 2, rightMin: 3}
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if line == 1 {
			if !strings.EqualFold(s, "UTF-8") {
				return nil, fmt.Errorf("%s:1: encoding %q: only UTF-8 pattern files are supported", name, s)
			}
			continue
		}
		if s == "" || strings.HasPrefix(s, "%") || strings.HasPrefix(s, "#") || strings.ContainsRune(s, '/') {
			continue
		}
		if k, v, ok := strings.Cut(s, " "); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			switch {
			case err != nil:
			case k == "LEFTHYPHENMIN":
				p.leftMin = n
			case k == "RIGHTHYPHENMIN":
				p.rightMin = n
			}
			continue
		}
		var letters []rune
		vals := []uint8{0}
		for _, r := range s {
			if r >= '0' && r <= '9' {
				vals[len(vals)-1] = uint8(r - '0')
				continue
			}
			letters = append(letters, unicode.ToLower(r))
			vals = append(vals, 0)
		}
		if len(letters) == 0 {
			continue
		}
		key := string(letters)
		p.pats[key] = vals
		if len(letters) > p.maxLen {
			p.maxLen = len(letters)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(p.pats) == 0 {
		return nil, fmt.Errorf("%s: no hyphenation patterns", name)
	}
	return p, nil
}

// Points returns the rune offsets in word after which a hyphen may go.
// word must be letters only; case does not matter.
func (p *Patterns) Points(word string) []int {
	rs := []rune("." + strings.ToLower(word) + ".")
	n := len(rs) - 2
	if n < p.leftMin+p.rightMin {
		return nil
	}
	vals := make([]uint8, len(rs)+1)
	for i := range rs {
		for l := 1; l <= p.maxLen && i+l <= len(rs); l++ {
			if v, ok := p.pats[string(rs[i:i+l])]; ok {
				for k, x := range v {
					if x > vals[i+k] {
						vals[i+k] = x
					}
				}
			}
		}
	}
	var out []int
	// vals[i+1] is the value between rune i-1 and i of the word
	for i := p.leftMin; i <= n-p.rightMin; i++ {
		if vals[i+1]%2 == 1 {
			out = append(out, i)
		}
	}
	return out
}

// Hyphenate returns word with "-" at every point, for tests and tools.
func (p *Patterns) Hyphenate(word string) string {
	rs := []rune(word)
	var b strings.Builder
	prev := 0
	for _, i := range p.Points(word) {
		b.WriteString(string(rs[prev:i]))
		b.WriteByte('-')
		prev = i
	}
	b.WriteString(string(rs[prev:]))
	return b.String()
}

// Package search is the catalogue's full-text search over the released
// chapters of every publication, in both languages.
//
// Text is cut into terms the same way at publish time and at query time:
// Latin-script words are lower-cased, stripped of diacritics and stemmed
// (English Snowball, github.com/kljensen/snowball), English stop words
// are dropped, and numbers keep their decimal point ("pm2.5"); Chinese
// text is indexed by character bigrams ("红树", "树林") and single
// characters, the usual way to search Chinese without a dictionary. An
// Index is built for each release when it is published and stored with
// it; a Searcher joins the indexes of the releases in the catalogue, in
// memory, and ranks sections by BM25.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// Token is a term of a text and where it is (byte offsets).
type Token struct {
	Term       string
	Start, End int
}

// MaxWordBytes bounds a word: a longer run of letters (a hostile or
// broken text) is cut.
const MaxWordBytes = 64

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return r >= 0x2e80 && unicode.Is(unicode.Han, r) }

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Tokens cuts text into the terms the index holds: for each word its
// folded, stemmed form (stop words left out); for each run of Chinese
// characters its bigrams and, with unigrams, each character.
func Tokens(text string, unigrams bool) []Token {
	var out []Token
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case isHan(r):
			j := i
			var starts []int
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if !isHan(r2) {
					break
				}
				starts = append(starts, j)
				j += n2
			}
			starts = append(starts, j)
			out = appendHan(out, text, starts, unigrams)
			i = j
		case isWordRune(r):
			j := i + n
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if isWordRune(r2) && !isHan(r2) {
					j += n2
					continue
				}
				// a decimal point or thousands separator between digits
				// stays in the word: "2.5", "PM2.5", "1,000"
				if (r2 == '.' || r2 == ',') && j+1 < len(text) && isDigitByte(text[j+1]) && j > i && isDigitByte(text[j-1]) {
					j += n2
					continue
				}
				break
			}
			if t := term(text[i:j]); t != "" {
				out = append(out, Token{t, i, j})
			}
			i = j
		default:
			i += n
		}
	}
	return out
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// appendHan adds the terms of a run of Chinese characters beginning at
// starts (and ending at the last of them).
func appendHan(out []Token, text string, starts []int, unigrams bool) []Token {
	n := len(starts) - 1
	if n == 1 || unigrams {
		for k := 0; k < n; k++ {
			out = append(out, Token{text[starts[k]:starts[k+1]], starts[k], starts[k+1]})
		}
	}
	for k := 0; k+1 < n; k++ {
		out = append(out, Token{text[starts[k]:starts[k+2]], starts[k], starts[k+2]})
	}
	return out
}

// term is the index term of a word: folded, stemmed when it is all
// letters; "" for a stop word.
func term(w string) string {
	f := fold(w)
	if len(f) > MaxWordBytes {
		f = f[:MaxWordBytes]
		for !utf8.ValidString(f) {
			f = f[:len(f)-1]
		}
	}
	letters := true
	for _, r := range f {
		if !unicode.IsLetter(r) {
			letters = false
			break
		}
	}
	if !letters {
		return f
	}
	if english.IsStopWord(f) {
		return ""
	}
	return english.Stem(f, true)
}

// fold lower-cases w and takes its diacritics off ("Việt" -> "viet").
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(w)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

package search

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// Limits of a query: longer queries are cut (and the reader told), and
// only the first MaxTerms terms count.
const (
	MaxQueryRunes = 200
	MaxTerms      = 16
	// SnippetRunes is about how long a snippet is.
	SnippetRunes = 220
)

// BM25 parameters, as Lucene and most engines use them.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Searcher searches the indexes of several releases at once. It is
// immutable: safe for any number of concurrent searches.
type Searcher struct {
	docs    []source
	lengths []float64
	avg     float64
	terms   map[string][]posting
}

type source struct {
	pub, release string
	doc          *Doc
}

type posting struct {
	doc int32
	tf  int32
}

// NewSearcher joins indexes (each a release's) into one searcher.
func NewSearcher(ixs []*Index) *Searcher {
	s := &Searcher{terms: map[string][]posting{}}
	total := 0.0
	for _, ix := range ixs {
		base := len(s.docs)
		for i := range ix.Docs {
			s.docs = append(s.docs, source{ix.Publication, ix.Release, &ix.Docs[i]})
			s.lengths = append(s.lengths, float64(ix.Lengths[i]))
			total += float64(ix.Lengths[i])
		}
		for t, ps := range ix.Terms {
			list := s.terms[t]
			for _, p := range ps {
				list = append(list, posting{int32(base + p[0]), int32(p[1])})
			}
			s.terms[t] = list
		}
	}
	if len(s.docs) > 0 {
		s.avg = total / float64(len(s.docs))
	}
	return s
}

// Sections is the number of sections searched.
func (s *Searcher) Sections() int { return len(s.docs) }

// Query is what a reader asks.
type Query struct {
	Text string
	// Lang keeps only sections of editions in this language ("" for
	// all).
	Lang   string
	Limit  int // hits returned (default 10)
	Offset int // hits skipped (the pages before)
	// Keep, when set, keeps only the sections of the releases it accepts.
	Keep func(pub, release string) bool
}

// Result is the answer to a query.
type Result struct {
	// Query is the text searched: cleaned of control characters and cut
	// to MaxQueryRunes (Shortened).
	Query     string
	Shortened bool
	Terms     []string
	Total     int // sections that hold every term
	// Partial: no section holds every term; Hits hold some of them,
	// those with the most first.
	Partial bool
	Hits    []Hit
	// More: hits follow those returned.
	More bool
}

// Hit is a matching section.
type Hit struct {
	Publication, Release string
	Doc                  *Doc
	Score                float64
	Snippet              []Fragment
}

// Fragment is a piece of a snippet; Mark is set on the words that match.
type Fragment struct {
	Text string
	Mark bool
}

// Clean takes control characters out of a query and cuts it to
// MaxQueryRunes (before a word cut in two), reporting whether it was cut.
func Clean(q string) (string, bool) {
	var b strings.Builder
	n := 0
	cut := false
	var last rune
	for _, r := range q {
		if r == utf8.RuneError || unicode.IsControl(r) {
			r = ' '
		}
		if n == MaxQueryRunes {
			cut = true
			if isWordRune(r) && isWordRune(last) && !isHan(r) {
				// leave out the word the limit falls in
				s := b.String()
				i := strings.LastIndexFunc(s, func(r rune) bool { return !isWordRune(r) || isHan(r) })
				b.Reset()
				b.WriteString(s[:max(i, 0)])
			}
			break
		}
		b.WriteRune(r)
		last = r
		n++
	}
	return strings.Join(strings.Fields(b.String()), " "), cut
}

// QueryTerms are the terms a query asks for, at most MaxTerms, each once:
// a run of Chinese characters asks for its bigrams (a single character
// for itself).
func QueryTerms(q string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range Tokens(q, false) {
		if !seen[t.Term] && len(out) < MaxTerms {
			seen[t.Term] = true
			out = append(out, t.Term)
		}
	}
	return out
}

// Search ranks the sections that hold the query's terms by BM25: those
// that hold every term; when none does, those that hold the most.
func (s *Searcher) Search(q Query) Result {
	res := Result{}
	res.Query, res.Shortened = Clean(q.Text)
	res.Terms = QueryTerms(res.Query)
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	offset := max(q.Offset, 0)
	if len(res.Terms) == 0 || len(s.docs) == 0 {
		return res
	}
	n := float64(len(s.docs))
	type cand struct {
		matched int
		score   float64
	}
	cands := map[int32]*cand{}
	dropped := map[int32]bool{}
	for _, t := range res.Terms {
		ps := s.terms[t]
		if len(ps) == 0 {
			continue
		}
		idf := math.Log(1 + (n-float64(len(ps))+0.5)/(float64(len(ps))+0.5))
		for _, p := range ps {
			src := s.docs[p.doc]
			if q.Lang != "" && src.doc.Lang != q.Lang {
				continue
			}
			c := cands[p.doc]
			if c == nil {
				if dropped[p.doc] {
					continue
				}
				if q.Keep != nil && !q.Keep(src.pub, src.release) {
					dropped[p.doc] = true
					continue
				}
				c = &cand{}
				cands[p.doc] = c
			}
			tf := float64(p.tf)
			c.matched++
			c.score += idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*s.lengths[p.doc]/s.avg))
		}
	}
	ids := make([]int32, 0, len(cands))
	best := 0
	for id, c := range cands {
		ids = append(ids, id)
		best = max(best, c.matched)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := cands[ids[i]], cands[ids[j]]
		if a.matched != b.matched {
			return a.matched > b.matched
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return ids[i] < ids[j]
	})
	res.Partial = len(ids) > 0 && best < len(res.Terms)
	for _, id := range ids {
		if cands[id].matched == best {
			res.Total++
		}
	}
	if res.Partial {
		res.Total = 0
	}
	want := map[string]bool{}
	for _, t := range res.Terms {
		want[t] = true
	}
	if offset >= len(ids) {
		return res
	}
	res.More = offset+limit < len(ids)
	for _, id := range ids[offset:min(offset+limit, len(ids))] {
		src := s.docs[id]
		res.Hits = append(res.Hits, Hit{Publication: src.pub, Release: src.release, Doc: src.doc,
			Score: cands[id].score, Snippet: Snippet(src.doc.Text, want)})
	}
	return res
}

// span is a matched stretch of a text (byte offsets).
type span struct{ start, end int }

// matches finds the words of text whose terms are wanted. Only words that
// begin like a wanted term are folded and stemmed, and Chinese is looked
// up in place, so that a snippet costs little more than a scan of the
// text.
//
// Scanning stops past the first match by stop bytes (0: the whole text):
// a snippet shows the stretch around the first matches, and a long
// section costs no more than a short one.
func matches(text string, want map[string]bool, stop int) []span {
	var prefixes []string
	var hanFirst []rune // the first characters of the Chinese terms
	for t := range want {
		r, _ := utf8.DecodeRuneInString(t)
		if isHan(r) {
			if !slices.Contains(hanFirst, r) {
				hanFirst = append(hanFirst, r)
			}
			continue
		}
		// a stem is the start of its words but for its last letter
		// ("citi" of "city"): the rest is compared before stemming
		p := t
		if len(p) > 3 {
			p = p[:max(3, len(p)-1)]
		}
		for len(p) > 0 && !utf8.ValidString(p) {
			p = p[:len(p)-1]
		}
		prefixes = append(prefixes, p)
	}
	var out []span
	add := func(a, b int) {
		if k := len(out) - 1; k >= 0 && a <= out[k].end {
			out[k].end = max(out[k].end, b)
			return
		}
		out = append(out, span{a, b})
	}
	i := 0
	for i < len(text) {
		if stop > 0 && len(out) > 0 && i > out[0].start+stop {
			break
		}
		if c := text[i]; c < utf8.RuneSelf && !isWordRune(rune(c)) {
			i++ // ASCII space and punctuation, the most of a text
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case isHan(r):
			// each character a term begins with, and it with the next,
			// looked up as it is
			j := i + n
			if !slices.Contains(hanFirst, r) {
				i = j
				continue
			}
			if want[text[i:j]] {
				add(i, j)
			}
			if j < len(text) {
				if r2, n2 := utf8.DecodeRuneInString(text[j:]); isHan(r2) && want[text[i:j+n2]] {
					add(i, j+n2)
				}
			}
			i = j
		case isWordRune(r):
			j := i + n
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if isWordRune(r2) && !isHan(r2) || (r2 == '.' || r2 == ',') && j+1 < len(text) && isDigitByte(text[j+1]) && isDigitByte(text[j-1]) {
					j += n2
					continue
				}
				break
			}
			if w := text[i:j]; len(prefixes) > 0 && mayMatch(w, prefixes) && want[stemFolded(fold(w))] {
				add(i, j)
			}
			i = j
		default:
			i += n
		}
	}
	return out
}

// mayMatch reports whether word w may have one of the terms beginning
// with prefixes: an ASCII word is compared as it is, lower-cased byte by
// byte; another is folded first.
func mayMatch(w string, prefixes []string) bool {
	ascii := true
	for k := 0; k < len(w) && k < 3; k++ {
		if w[k] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		f := fold(w)
		for _, p := range prefixes {
			if strings.HasPrefix(f, p) {
				return true
			}
		}
		return false
	}
	for _, p := range prefixes {
		if len(w) < len(p) {
			continue
		}
		ok := true
		for k := 0; k < len(p); k++ {
			c := w[k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != p[k] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// stemFolded is term for a word already folded.
func stemFolded(f string) string {
	if len(f) > MaxWordBytes {
		return term(f)
	}
	for _, r := range f {
		if !unicode.IsLetter(r) {
			return f
		}
	}
	return english.Stem(f, true)
}

// Snippet is the stretch of text, about SnippetRunes long, with the most
// matching words (the wanted terms), cut at word boundaries, the matches
// marked; the text's start when nothing matches.
func Snippet(text string, want map[string]bool) []Fragment {
	text = strings.ReplaceAll(text, "\n", " ")
	window := SnippetRunes * 3 // bytes, for Chinese; measured in runes below
	ms := matches(text, want, 2*window)
	start := 0
	if len(ms) > 0 {
		// the window that starts at a match and covers the most others
		bestK, bestN := 0, 0
		for k := range ms {
			cnt := 0
			for m := k; m < len(ms) && ms[m].end-ms[k].start <= window; m++ {
				cnt++
			}
			if cnt > bestN {
				bestK, bestN = k, cnt
			}
			if k > 200 {
				break
			}
		}
		start = backRunes(text, ms[bestK].start, 40)
	}
	end := forwardRunes(text, start, SnippetRunes)
	var out []Fragment
	if start > 0 {
		out = append(out, Fragment{Text: "… "})
	}
	at := start
	for _, m := range ms {
		if m.end <= start || m.start >= end {
			continue
		}
		a, b := max(m.start, start), min(m.end, end)
		if a > at {
			out = append(out, Fragment{Text: text[at:a]})
		}
		out = append(out, Fragment{Text: text[a:b], Mark: true})
		at = b
	}
	if at < end {
		out = append(out, Fragment{Text: text[at:end]})
	}
	if end < len(text) {
		out = append(out, Fragment{Text: " …"})
	}
	return out
}

// backRunes moves from byte i back by up to n runes, to the start of a
// word (or of a Chinese character).
func backRunes(text string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, sz := utf8.DecodeLastRuneInString(text[:i])
		i -= sz
	}
	for i > 0 {
		r, sz := utf8.DecodeLastRuneInString(text[:i])
		if !isWordRune(r) || isHan(r) {
			break
		}
		i -= sz
	}
	return i
}

// forwardRunes moves from byte i on by up to n runes, to the end of a
// word.
func forwardRunes(text string, i, n int) int {
	for ; n > 0 && i < len(text); n-- {
		_, sz := utf8.DecodeRuneInString(text[i:])
		i += sz
	}
	for i < len(text) {
		r, sz := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) || isHan(r) {
			break
		}
		i += sz
	}
	return i
}

// Package diag defines errors that point into an author's input: a file, a
// place in it (line, or sheet!cell), what is wrong and what to do about it.
//
// Every check that looks at user input reports through this package, so the
// command line, the web upload page and the tests all see the same messages.
package diag

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"unicode"
)

// Error is one problem found in an input file.
type Error struct {
	File string // path or name of the file, as the user knows it
	Line int    // 1-based line, 0 when the problem is not tied to a line
	Col  int    // 1-based column of the line (CSV fields), 0 when not known
	Cell string // sheet!cell for spreadsheets, empty otherwise
	Msg  string // what is wrong
	Hint string // what to do, may be empty
	// Code classifies the problem for reports (missing-translation,
	// broken-reference, dataset...); may be empty.
	Code string
}

// Error formats the problem as "file:line: msg; hint".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	switch {
	case e.Cell != "":
		b.WriteString(" " + e.Cell)
	case e.Line > 0 && e.Col > 0:
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	case e.Line > 0:
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(HintSeparator(e.Hint) + e.Hint)
	}
	return b.String()
}

// HintSeparator is what goes between a message and its hint: "; ", or
// the full-width "；" before a hint in Chinese.
func HintSeparator(hint string) string {
	for _, r := range hint {
		if unicode.Is(unicode.Han, r) {
			return "；"
		}
		if unicode.IsLetter(r) {
			break
		}
	}
	return "; "
}

// At builds an Error for file and line.
func At(file string, line int, msg, hint string) *Error {
	return &Error{File: file, Line: line, Msg: msg, Hint: hint}
}

// Errorf builds an Error for file and line with a formatted message.
func Errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// List collects problems so that a user sees all of them at once rather than
// fixing one per run.
type List []*Error

// Add appends e when it is not nil.
func (l *List) Add(e *Error) {
	if e != nil {
		*l = append(*l, e)
	}
}

// Merge appends the problems of err: a List, an *Error, or any other error
// (kept as a message without a place).
func (l *List) Merge(err error) {
	if err == nil {
		return
	}
	var list List
	if errors.As(err, &list) {
		*l = append(*l, list...)
		return
	}
	var e *Error
	if errors.As(err, &e) {
		*l = append(*l, e)
		return
	}
	*l = append(*l, &Error{Msg: err.Error()})
}

// Sort orders problems by file and line so reports are stable.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		return l[i].Line < l[j].Line
	})
}

// Err returns nil for an empty list and the list itself otherwise.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error joins the problems one per line; the first line alone summarises.
func (l List) Error() string {
	if len(l) == 0 {
		return "no problems"
	}
	if len(l) == 1 {
		return l[0].Error()
	}
	// The first line is a reason on its own; every problem follows.
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems, the first: %s", len(l), l[0].Error())
	for _, e := range l {
		b.WriteString("\n  " + e.Error())
	}
	return b.String()
}

// WithCode sets code on every problem of err that has none and returns
// the problems.
func WithCode(err error, code string) List {
	var l List
	l.Merge(err)
	for _, e := range l {
		if e.Code == "" {
			e.Code = code
		}
	}
	return l
}

// Nearest returns the candidate closest to word by edit distance, for a
// "did you mean" hint, or "" when none is close (more than a third of the
// word's letters, at least two, would have to change).
func Nearest(word string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		if c == word {
			continue
		}
		d := editDistance(strings.ToLower(word), strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len([]rune(word))/3)
	if bestD < 0 || bestD > limit {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// InternalError is a bug in aceo met while processing some input: a
// recovered panic, reported with what was being processed so that the
// user can report it and the command can exit with status 3 instead of
// crashing. Long-running commands (watch, serve) report it and go on.
type InternalError struct {
	Panic any    // the value the panic carried
	While string // what was being processed: chapter, file and line
	Stack string // the goroutine's stack, for the report
}

func (e *InternalError) Error() string {
	s := fmt.Sprintf("internal error: %v", e.Panic)
	if e.While != "" {
		s += " (while processing " + e.While + ")"
	}
	return s + "; please report it with the input that caused it"
}

// Recovered turns a recovered panic value into an *InternalError (nil for
// nil), with what was being processed.
func Recovered(r any, while string) error {
	if r == nil {
		return nil
	}
	return &InternalError{Panic: r, While: while, Stack: string(debug.Stack())}
}

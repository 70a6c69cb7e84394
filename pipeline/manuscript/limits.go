package manuscript

import (
	"bytes"
	"fmt"

	"github.com/aceo-project/aceo/pipeline/diag"
)

// Limits on what one chapter draft may hold, checked in one linear scan
// of the text before it is parsed, so that no draft can make the parser
// or the typesetter work quadratically or without bound. A real chapter
// is far inside each.
const (
	MaxNesting    = 32    // quotes and lists inside one another
	MaxFootnotes  = 1000  // footnote definitions
	MaxHeadings   = 1000  // headings
	MaxTableCells = 50000 // cells of the chapter's tables, all told
	MaxLineBytes  = 20000 // bytes of one line (a paragraph on one line included)
	MaxIndexMarks = 2000  // index marks
	maxLimitNotes = 10    // problems of this kind listed at most
)

// checkLimits scans the body (front matter blanked, lines kept) and
// reports every limit gone over, with its line.
func checkLimits(file string, body []byte) diag.List {
	var errs diag.List
	add := func(e *diag.Error) {
		if len(errs) < maxLimitNotes {
			errs.Add(e)
		}
	}
	footnotes, headings, cells, marks := 0, 0, 0, 0
	inFence := false
	line := 0
	for len(body) > 0 {
		line++
		l := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			l, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		if len(l) > MaxLineBytes {
			add(diag.At(file, line, fmt.Sprintf("this line is %d bytes long, more than the %d allowed", len(l), MaxLineBytes), "break it into paragraphs; a line this long is not text an author wrote"))
		}
		t := bytes.TrimLeft(l, " \t")
		if bytes.HasPrefix(t, []byte("```")) || bytes.HasPrefix(t, []byte("~~~")) {
			inFence = !inFence
			continue
		}
		if inFence {
			continue
		}
		// nesting: quote marks and list markers at the start of the line
		depth := 0
		for rest := t; len(rest) > 0; {
			switch {
			case rest[0] == '>':
				depth++
				rest = bytes.TrimLeft(rest[1:], " \t")
			case len(rest) > 1 && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') && rest[1] == ' ':
				depth++
				rest = bytes.TrimLeft(rest[2:], " \t")
			default:
				rest = nil
			}
		}
		if depth > 0 {
			depth += (len(l) - len(t)) / 2 // an indented list item: a level per two spaces
		}
		if depth > MaxNesting {
			add(diag.At(file, line, fmt.Sprintf("quotes and lists nested %d deep, more than the %d allowed", depth, MaxNesting), "flatten the structure: a chapter needs a few levels at most"))
		}
		if n := bytes.Count(l, []byte("]{.index")); n > 0 {
			marks += n
			if marks > MaxIndexMarks && marks-n <= MaxIndexMarks {
				add(diag.At(file, line, fmt.Sprintf("more than %d index marks", MaxIndexMarks), "index the main discussions of a term, not every mention"))
			}
		}
		switch {
		case bytes.HasPrefix(t, []byte("[^")) && bytes.Contains(t, []byte("]:")):
			footnotes++
			if footnotes == MaxFootnotes+1 {
				add(diag.At(file, line, fmt.Sprintf("more than %d footnotes", MaxFootnotes), "move notes into the text, or split the chapter"))
			}
		case bytes.HasPrefix(t, []byte("#")):
			headings++
			if headings == MaxHeadings+1 {
				add(diag.At(file, line, fmt.Sprintf("more than %d headings", MaxHeadings), "split the chapter"))
			}
		case bytes.HasPrefix(t, []byte("|")):
			cells += bytes.Count(t, []byte("|")) - 1
			if cells > MaxTableCells && cells-bytes.Count(t, []byte("|"))+1 <= MaxTableCells {
				add(diag.At(file, line, fmt.Sprintf("the chapter's tables hold more than %d cells", MaxTableCells), "move large tables into a dataset (aceo-table)"))
			}
		}
	}
	return errs
}

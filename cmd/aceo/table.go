package main

import (
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/rivo/uniseg"
)

// table prints rows in columns aligned by display width. A Chinese
// character takes two columns of a terminal; text/tabwriter counts it as
// one, so titles and names in Chinese pushed the columns after them out
// of line.
type table struct{ rows [][]string }

// newTable starts a table with its header row.
func newTable(header ...string) *table { return &table{rows: [][]string{header}} }

// row adds a row; missing cells are empty. Control characters (a
// terminal's escape sequences in an author's name or note) are shown
// escaped, never sent to the terminal.
func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = safe(c)
	}
	t.rows = append(t.rows, cells)
}

// safe shows the control characters of s escaped (\x1b, \n), so that text
// from a file or the store cannot drive the terminal.
func safe(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// print writes the table: columns two spaces apart, the last one not
// padded, no trailing spaces.
func (t *table) print(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], uniseg.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		var line strings.Builder
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-uniseg.StringWidth(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Package bib reads the bibliographies authors cite from (BibTeX, and
// CSL-JSON as Zotero exports it), checks them, and formats citations and
// reference lists in the two styles of the editions: author-date as UNEP
// and APA use it in English, and GB/T 7714-2015 author-year in Chinese.
// Every problem of a bibliography file is reported with its file and line.
package bib

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
)

// Limits of a bibliography file, checked while reading.
const (
	MaxFileSize   = 8 << 20 // bytes
	MaxEntries    = 20000
	MaxFieldBytes = 64 << 10
	MaxNames      = 500 // authors or editors of one entry
)

// Types of entries, as CSL names them (BibTeX types are mapped to them).
const (
	Article    = "article-journal"
	Book       = "book"
	Chapter    = "chapter"
	Report     = "report"
	Webpage    = "webpage"
	Thesis     = "thesis"
	Conference = "paper-conference"
	Dataset    = "dataset"
	Standard   = "standard"
	Misc       = "document"
)

// Name is an author or editor: a person (Family, Given) or an
// organisation (Literal).
type Name struct {
	Family, Given string
	Literal       string
}

// Entry is one work of a bibliography.
type Entry struct {
	Key       string
	Type      string // one of the types above
	Authors   []Name
	Editors   []Name
	Year      int    // 0 when unknown
	Date      string // as given: 2019, 2019-06-30
	Title     string
	Container string // journal, book of a chapter, website
	Publisher string
	Place     string
	Volume    string
	Issue     string
	Pages     string
	Edition   string
	Number    string // report number
	DOI       string
	URL       string
	Accessed  string // YYYY-MM-DD
	Lang      string // "zh" for a Chinese work, else "en"
	File      string // where it was read
	Line      int
}

// Library is the entries of a publication's bibliography files, by key.
type Library struct {
	entries map[string]*Entry
	keys    []string // in the order read
}

// NewLibrary gathers entries read from one or more files; a key given
// twice (in one file or two) is an error at its second place.
func NewLibrary(entries ...[]*Entry) (*Library, error) {
	l := &Library{entries: map[string]*Entry{}}
	var errs diag.List
	for _, es := range entries {
		for _, e := range es {
			if prev, ok := l.entries[e.Key]; ok {
				errs.Add(diag.At(e.File, e.Line, fmt.Sprintf("the key %q is given twice (first at %s:%d)", e.Key, prev.File, prev.Line),
					"give each work its own key, or remove the repeated entry"))
				continue
			}
			l.entries[e.Key] = e
			l.keys = append(l.keys, e.Key)
		}
	}
	return l, errs.Err()
}

// Entry returns the entry of key.
func (l *Library) Entry(key string) (*Entry, bool) {
	if l == nil {
		return nil, false
	}
	e, ok := l.entries[key]
	return e, ok
}

// Keys lists the keys in the order they were read.
func (l *Library) Keys() []string {
	if l == nil {
		return nil
	}
	return append([]string(nil), l.keys...)
}

// Check reports what a reference list needs and an entry lacks: an author
// (or editor, or an organisation), a year and a title, each at the
// entry's line.
func Check(entries []*Entry) error {
	var errs diag.List
	for _, e := range entries {
		if len(e.Authors) == 0 && len(e.Editors) == 0 {
			errs.Add(diag.At(e.File, e.Line, fmt.Sprintf("entry %q has no author", e.Key),
				"add author = {Family, Given and ...}, or the organisation in double braces: author = {{United Nations Environment Programme}}"))
		}
		if e.Year == 0 {
			errs.Add(diag.At(e.File, e.Line, fmt.Sprintf("entry %q has no year", e.Key), "add year = {2019}"))
		}
		if strings.TrimSpace(e.Title) == "" {
			errs.Add(diag.At(e.File, e.Line, fmt.Sprintf("entry %q has no title", e.Key), "add title = {...}"))
		}
	}
	return errs.Err()
}

// yearOf reads the year at the start of a date (2019, 2019-06-30).
func yearOf(date string) int {
	date = strings.TrimSpace(date)
	if len(date) < 4 {
		return 0
	}
	y, err := strconv.Atoi(date[:4])
	if err != nil || y < 1000 || y > 2999 {
		return 0
	}
	return y
}

// isCJK reports whether s holds a Chinese character: its name or title is
// then written in full, in Chinese order.
func isCJK(s string) bool {
	for _, r := range s {
		if r >= 0x3400 && r <= 0x9fff || r >= 0xf900 && r <= 0xfaff || r >= 0x20000 && r <= 0x2ffff {
			return true
		}
	}
	return false
}

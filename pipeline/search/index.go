package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/aceo-project/aceo/pipeline/reading"
)

// FormatVersion is the index format this package writes and reads.
const FormatVersion = 1

// titleWeight is how many times a section's heading counts: a word in
// the heading says more about the section than one in its text.
const titleWeight = 3

// Doc is one searchable section of a released chapter.
type Doc struct {
	Lang         string `json:"lang"`
	Chapter      string `json:"chapter"`
	ChapterLabel string `json:"chapter_label,omitempty"`
	ChapterTitle string `json:"chapter_title"`
	Number       string `json:"number,omitempty"`
	Title        string `json:"title,omitempty"`
	Anchor       string `json:"anchor,omitempty"`
	PDF          string `json:"pdf"`
	Page         int    `json:"page"`
	Text         string `json:"text"`
}

// Index is the full-text index of one release: its sections and, for
// each term, the sections that hold it and how often.
type Index struct {
	Version     int    `json:"version"`
	Publication string `json:"publication"`
	Release     string `json:"release"`
	Docs        []Doc  `json:"docs"`
	// Lengths is each doc's number of terms (headings counted
	// titleWeight times), for BM25.
	Lengths []int `json:"lengths"`
	// Terms maps a term to its postings: pairs of doc and frequency.
	Terms map[string][][2]int `json:"terms"`
}

// Build indexes the chapters of a release's editions.
func Build(pub, release string, editions []*reading.Contents) *Index {
	ix := &Index{Version: FormatVersion, Publication: pub, Release: release, Docs: []Doc{}, Lengths: []int{}, Terms: map[string][][2]int{}}
	for _, c := range editions {
		for _, ch := range c.Chapters {
			for _, s := range ch.Sections {
				d := Doc{Lang: c.Lang, Chapter: ch.ID, ChapterLabel: ch.Label, ChapterTitle: ch.Title,
					Number: s.Number, Title: s.Title, Anchor: s.Anchor, PDF: c.PDF, Page: s.Page, Text: s.Text}
				ix.add(d)
			}
		}
	}
	return ix
}

func (ix *Index) add(d Doc) {
	id := len(ix.Docs)
	ix.Docs = append(ix.Docs, d)
	tf := map[string]int{}
	title := d.Title
	if title == "" {
		title = d.ChapterTitle
	}
	for _, t := range Tokens(title, true) {
		tf[t.Term] += titleWeight
	}
	for _, t := range Tokens(d.Text, true) {
		tf[t.Term]++
	}
	n := 0
	terms := make([]string, 0, len(tf))
	for t, f := range tf {
		n += f
		terms = append(terms, t)
	}
	sort.Strings(terms)
	for _, t := range terms {
		ix.Terms[t] = append(ix.Terms[t], [2]int{id, tf[t]})
	}
	ix.Lengths = append(ix.Lengths, n)
}

// Marshal writes the index as JSON: the same bytes for the same index.
func (ix *Index) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ix); err != nil {
		return nil, fmt.Errorf("write the search index: %w", err)
	}
	return b.Bytes(), nil
}

// MaxIndexSize bounds an index read back.
const MaxIndexSize = 256 << 20

// Parse reads an index written by Marshal, checking every posting.
func Parse(name string, data []byte) (*Index, error) {
	if len(data) > MaxIndexSize {
		return nil, fmt.Errorf("%s: %d bytes, more than a search index may have", name, len(data))
	}
	var ix Index
	if err := json.Unmarshal(data, &ix); err != nil {
		return nil, fmt.Errorf("%s is not a search index: %w", name, err)
	}
	if ix.Version != FormatVersion {
		return nil, fmt.Errorf("%s: search index format %d, this aceo reads %d; rebuild it with aceo reindex", name, ix.Version, FormatVersion)
	}
	if len(ix.Lengths) != len(ix.Docs) {
		return nil, fmt.Errorf("%s: %d lengths for %d sections", name, len(ix.Lengths), len(ix.Docs))
	}
	for t, ps := range ix.Terms {
		for _, p := range ps {
			if p[0] < 0 || p[0] >= len(ix.Docs) || p[1] < 1 {
				return nil, fmt.Errorf("%s: term %q: posting %v out of range", name, t, p)
			}
		}
	}
	return &ix, nil
}

// Package reading describes what a release's editions hold for readers of
// the catalogue: each edition's chapters with their PDF pages, key
// messages and text by section (the contents file a build writes beside
// each PDF), from which the catalogue shows a publication's contents and
// builds its full-text search.
//
// It depends on no typesetting: the catalogue reads contents files as
// data.
package reading

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Version is the format of contents files this package writes and reads.
const Version = 1

// Contents is one edition's contents.
type Contents struct {
	Version     int    `json:"version"`
	Publication string `json:"publication"`
	Lang        string `json:"lang"`
	Title       string `json:"title"`
	PDF         string `json:"pdf"`   // the edition's PDF, by file name
	Pages       int    `json:"pages"` // of the PDF
	// Cover is the PDF's first page as SVG, drawn from its display list:
	// the catalogue's thumbnail.
	Cover    string    `json:"cover,omitempty"`
	Chapters []Chapter `json:"chapters"`
}

// Chapter is one chapter of an edition, front chapters (a foreword) and
// appendices included.
type Chapter struct {
	ID string `json:"id"`
	// Label is how the edition numbers the chapter: "2", "Appendix A",
	// "附录A"; empty for an unnumbered one.
	Label   string   `json:"label,omitempty"`
	Number  string   `json:"number,omitempty"` // "2", "A"
	Title   string   `json:"title"`
	Authors []string `json:"authors,omitempty"`
	Front   bool     `json:"front,omitempty"` // before the contents
	// Summary marks the summary for policymakers.
	Summary bool `json:"summary,omitempty"`
	// FirstPage and LastPage are the chapter's pages in the PDF, from 1
	// (the page a viewer opens with #page=N); FirstFolio is the number
	// printed on the first ("12", "iv"), LastFolio the last number
	// printed in the chapter.
	FirstPage   int       `json:"first_page"`
	LastPage    int       `json:"last_page"`
	FirstFolio  string    `json:"first_folio,omitempty"`
	LastFolio   string    `json:"last_folio,omitempty"`
	KeyMessages []string  `json:"key_messages,omitempty"`
	Sections    []Section `json:"sections"`
	// HTML is the chapter as an HTML fragment (an <article>), the HTML
	// reading edition's page body: written from the same model as the
	// PDF, its charts drawn from the same display list (as SVG).
	HTML string `json:"html,omitempty"`
}

// Section is a chapter's text from one heading (of level 1 or 2) to the
// next; the first section is the text before the first heading and has
// no number or title of its own.
type Section struct {
	Number string `json:"number,omitempty"`
	Title  string `json:"title,omitempty"`
	Level  int    `json:"level,omitempty"`
	// Anchor names the section in the chapter's HTML page (its id).
	Anchor string `json:"anchor,omitempty"`
	Page   int    `json:"page"` // in the PDF, from 1
	// Text is the section's text as plain paragraphs, one per line:
	// paragraphs, list items, boxes, table captions and cells, figure
	// captions and descriptions, and the footnotes marked in them.
	Text string `json:"text"`
}

// Marshal writes c as the contents file: indented JSON, the same bytes
// for the same contents.
func (c *Contents) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("write contents: %w", err)
	}
	return b.Bytes(), nil
}

// MaxSize bounds a contents file read back (a 600-page edition's text is
// about 2 MB).
const MaxSize = 64 << 20

// Parse reads a contents file, checking what the catalogue relies on.
func Parse(name string, data []byte) (*Contents, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: %d bytes, more than a contents file may have (%d)", name, len(data), MaxSize)
	}
	var c Contents
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s is not a contents file: %w", name, err)
	}
	if c.Version != Version {
		return nil, fmt.Errorf("%s: contents format %d, this aceo reads %d", name, c.Version, Version)
	}
	if c.Lang == "" || c.Publication == "" {
		return nil, fmt.Errorf("%s: contents without a publication or language", name)
	}
	for i, ch := range c.Chapters {
		if ch.FirstPage < 1 || ch.LastPage < ch.FirstPage || ch.LastPage > c.Pages {
			return nil, fmt.Errorf("%s: chapter %d (%s) on pages %d-%d of %d", name, i+1, ch.ID, ch.FirstPage, ch.LastPage, c.Pages)
		}
		for _, s := range ch.Sections {
			if s.Page < ch.FirstPage || s.Page > ch.LastPage {
				return nil, fmt.Errorf("%s: chapter %s: section %q on page %d, outside the chapter's %d-%d", name, ch.ID, s.Title, s.Page, ch.FirstPage, ch.LastPage)
			}
		}
	}
	return &c, nil
}

// Name is the file name of an edition's contents:
// <publication>-contents-<lang>.json.
func Name(pub, lang string) string { return pub + "-contents-" + lang + ".json" }

// IsName reports whether name is a contents file's, and its language.
func IsName(name string) (lang string, ok bool) {
	i := strings.LastIndex(name, "-contents-")
	if i < 0 || !strings.HasSuffix(name, ".json") {
		return "", false
	}
	lang = strings.TrimSuffix(name[i+len("-contents-"):], ".json")
	return lang, lang != "" && !strings.ContainsAny(lang, "-/.")
}

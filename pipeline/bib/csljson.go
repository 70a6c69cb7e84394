package bib

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/aceo-project/aceo/pipeline/diag"
)

// cslItem is an item of CSL-JSON as Zotero exports it.
type cslItem struct {
	ID             any       `json:"id"`
	Type           string    `json:"type"`
	Title          string    `json:"title"`
	Author         []cslName `json:"author"`
	Editor         []cslName `json:"editor"`
	Issued         *cslDate  `json:"issued"`
	Accessed       *cslDate  `json:"accessed"`
	ContainerTitle string    `json:"container-title"`
	Publisher      string    `json:"publisher"`
	PublisherPlace string    `json:"publisher-place"`
	Volume         any       `json:"volume"`
	Issue          any       `json:"issue"`
	Page           string    `json:"page"`
	Edition        any       `json:"edition"`
	Number         any       `json:"number"`
	DOI            string    `json:"DOI"`
	URL            string    `json:"URL"`
	Language       string    `json:"language"`
}

type cslName struct {
	Family  string `json:"family"`
	Given   string `json:"given"`
	Literal string `json:"literal"`
}

type cslDate struct {
	DateParts [][]any `json:"date-parts"`
	Raw       string  `json:"raw"`
	Literal   string  `json:"literal"`
}

// text gives a CSL date as YYYY, YYYY-MM or YYYY-MM-DD.
func (d *cslDate) text() string {
	if d == nil {
		return ""
	}
	if len(d.DateParts) > 0 && len(d.DateParts[0]) > 0 {
		var parts []string
		for i, p := range d.DateParts[0] {
			n, err := strconv.Atoi(strings.TrimSpace(fmt.Sprint(p)))
			if err != nil {
				break
			}
			if i == 0 {
				parts = append(parts, fmt.Sprintf("%04d", n))
			} else {
				parts = append(parts, fmt.Sprintf("%02d", n))
			}
		}
		return strings.Join(parts, "-")
	}
	if d.Raw != "" {
		return d.Raw
	}
	return d.Literal
}

// cslTypes maps CSL types to the types aceo formats.
var cslTypes = map[string]string{
	"article-journal": Article, "article": Article, "article-magazine": Article, "article-newspaper": Article,
	"book": Book, "chapter": Chapter, "report": Report, "webpage": Webpage, "post-weblog": Webpage,
	"thesis": Thesis, "paper-conference": Conference, "dataset": Dataset, "standard": Standard,
}

// ParseCSLJSON reads the items of a CSL-JSON file (an array of items, as
// Zotero and other reference managers export it), each problem at the
// line of its item.
func ParseCSLJSON(file string, data []byte) ([]*Entry, error) {
	if len(data) > MaxFileSize {
		return nil, diag.At(file, 0, fmt.Sprintf("bibliography is %d bytes, more than the %d allowed", len(data), MaxFileSize), "split it into several files")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")) }
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		return nil, diag.At(file, 1, "not a CSL-JSON array of items", "export the library from Zotero as CSL JSON (a file starting with [)")
	}
	var out []*Entry
	var errs diag.List
	for dec.More() {
		// the line of the item: where its text starts
		rest := data[dec.InputOffset():]
		line := lineAt(dec.InputOffset() + int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r\n,"))))
		var it cslItem
		if err := dec.Decode(&it); err != nil {
			errs.Add(diag.At(file, lineAt(dec.InputOffset()), "not a CSL-JSON item: "+err.Error(), "check the JSON around this line"))
			return out, errs
		}
		if len(out) >= MaxEntries {
			errs.Add(diag.At(file, line, fmt.Sprintf("more than %d entries", MaxEntries), "split the bibliography into several files"))
			break
		}
		key := strings.TrimSpace(fmt.Sprint(it.ID))
		if it.ID == nil || key == "" {
			errs.Add(diag.At(file, line, "an item has no id", "give every item an \"id\": it is the key chapters cite, as [@id]"))
			continue
		}
		e := &Entry{Key: key, Type: cslTypes[it.Type], Title: it.Title, Container: it.ContainerTitle, Publisher: it.Publisher, Place: it.PublisherPlace,
			Volume: str(it.Volume), Issue: str(it.Issue), Pages: strings.ReplaceAll(it.Page, "-", "–"), Edition: str(it.Edition), DOI: it.DOI, URL: it.URL,
			Date: it.Issued.text(), Accessed: it.Accessed.text(), File: file, Line: line}
		if e.Type == "" {
			e.Type = Misc
		}
		if e.Type == Report {
			e.Number = str(it.Number)
		}
		e.Year = yearOf(e.Date)
		for _, n := range it.Author {
			e.Authors = append(e.Authors, Name(n))
		}
		for _, n := range it.Editor {
			e.Editors = append(e.Editors, Name(n))
		}
		if len(e.Authors) > MaxNames || len(e.Editors) > MaxNames {
			errs.Add(diag.At(file, line, fmt.Sprintf("item %q has more than %d names", key, MaxNames), ""))
			continue
		}
		e.Lang = langOf(it.Language, e.Title)
		out = append(out, e)
	}
	if err := errs.Err(); err != nil {
		return out, err
	}
	return out, nil
}

// str writes a CSL number or string field.
func str(v any) string {
	if v == nil {
		return ""
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// Package intake takes authors' files into the store: it runs every
// check a chapter draft, figure or dataset must pass (the checks aceo
// validate makes, and the build's own verdict when the repository has a
// Judge), and stores a file as a revision only when it passes. aceo
// submit, the upload page and the sample use it; what only reads the
// store (releases, the catalogue) links none of its parsers.
package intake

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aceo-project/aceo/pipeline/bib"
	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/drafts"
	"github.com/aceo-project/aceo/pipeline/figure"
	"github.com/aceo-project/aceo/pipeline/glossary"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/publication"
)

// CheckChapter runs every check a chapter draft must pass on its own
// before it is stored: size, UTF-8 and front matter, Markdown, and that
// its publication is in r and lists the chapter.
func CheckChapter(ctx context.Context, r *drafts.Repo, file string, data []byte) (*ms.Chapter, *publication.Publication, error) {
	if err := CheckDraftSize(file, data); err != nil {
		return nil, nil, err
	}
	ch, err := ms.Parse(file, data)
	if err != nil {
		return nil, nil, err
	}
	pub, err := r.Publication(ctx, ch.Meta.Publication)
	if err != nil {
		return nil, nil, diag.At(file, ms.FrontLine(data, "publication"), err.Error(), "")
	}
	if errs := Membership(pub, ch); len(errs) > 0 {
		return nil, nil, errs
	}
	return ch, pub, nil
}

// CheckDraftSize refuses a chapter draft larger than drafts.MaxDraftSize.
func CheckDraftSize(file string, data []byte) error {
	if len(data) > drafts.MaxDraftSize {
		return diag.At(file, 0, fmt.Sprintf("draft is %d bytes, more than the %d allowed", len(data), drafts.MaxDraftSize),
			"split the chapter, or move large tables into a dataset")
	}
	return nil
}

// Membership checks that a parsed draft belongs to pub: its publication
// id, a chapter the publication lists and one of its languages, each
// problem at its front-matter line. CheckChapter, the builds and build.CheckChapter all
// judge a draft's front matter against its publication with it.
func Membership(pub *publication.Publication, ch *ms.Chapter) diag.List {
	var errs diag.List
	m := ch.Meta
	if m.Publication != pub.ID {
		errs.Add(diag.At(ch.File, ch.FrontLine("publication"), fmt.Sprintf("draft belongs to publication %q, not %q", m.Publication, pub.ID),
			"set 'publication: "+pub.ID+"' in the front matter, or move the file"))
		return errs
	}
	if !slices.Contains(pub.Chapters, m.Chapter) {
		e := diag.At(ch.File, ch.FrontLine("chapter"), fmt.Sprintf("publication %s has no chapter %q", pub.ID, m.Chapter),
			"use one of: "+strings.Join(pub.Chapters, ", ")+", or ask an editor to add it to the publication")
		if near := diag.Nearest(m.Chapter, pub.Chapters); near != "" {
			e.Hint = fmt.Sprintf("did you mean %q? The chapters are: %s", near, strings.Join(pub.Chapters, ", "))
		}
		errs.Add(e)
	}
	if !slices.Contains(pub.Languages, m.Lang) {
		errs.Add(diag.At(ch.File, ch.FrontLine("lang"), fmt.Sprintf("publication %s is not published in %q", pub.ID, m.Lang),
			"use one of: "+strings.Join(pub.Languages, ", ")))
	}
	return errs
}

// CheckFigure checks an image submitted as a figure: a PNG or JPEG within
// the size limit, named like an id, that figure.Check decodes completely
// within its pixel and memory bounds.
func CheckFigure(file string, data []byte) (name, ext string, err error) {
	name, ext = splitName(file)
	if len(data) > drafts.MaxFigureSize {
		return "", "", diag.At(file, 0, fmt.Sprintf("figure is %d bytes, more than the %d allowed", len(data), drafts.MaxFigureSize), "export it at a lower resolution")
	}
	if !publication.ValidID(name) {
		return "", "", diag.At(file, 0, fmt.Sprintf("figure name %q is not valid", name), "rename the file with "+publication.IDPattern)
	}
	info, ferr := figure.Check(data)
	if ferr != nil {
		hint := ""
		if fe, ok := ferr.(*figure.Error); ok {
			hint = fe.Hint
		}
		return "", "", diag.At(file, 0, ferr.Error(), hint)
	}
	switch {
	case info.Format == "png" && ext != ".png", info.Format == "jpeg" && ext != ".jpg" && ext != ".jpeg":
		return "", "", diag.At(file, 0, fmt.Sprintf("the file is %s but named %s", info.Format, ext), "rename it to match its format")
	}
	return name, ext, nil
}

// IsFigureFile reports whether a file name is that of an image, accepted
// or not (an SVG is checked as a figure and refused as one, not taken for
// a dataset).
func IsFigureFile(file string) bool {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".png", ".jpg", ".jpeg", ".svg", ".svgz", ".gif", ".tif", ".tiff", ".webp", ".bmp", ".heic", ".heif", ".avif", ".eps", ".pdf", ".emf", ".wmf":
		return true
	}
	return false
}

// CheckDataset validates a dataset: an XLSX workbook on its own, or a CSV
// data table with its dictionary (dict; nil is an error for CSV). It
// returns the dataset's name and extension and any warnings. It stops
// with ctx's error when ctx ends.
func CheckDataset(ctx context.Context, file string, data, dict []byte) (name, ext string, warnings diag.List, err error) {
	name, ext = splitName(file)
	if len(data) > drafts.MaxDatasetSize {
		return "", "", nil, diag.At(file, 0, fmt.Sprintf("dataset is %d bytes, more than the %d allowed", len(data), drafts.MaxDatasetSize), "split it into several datasets")
	}
	if !publication.ValidID(name) {
		return "", "", nil, diag.At(file, 0, fmt.Sprintf("dataset name %q is not valid", name), "rename the file with "+publication.IDPattern)
	}
	var ds *dataset.Dataset
	switch ext {
	case ".xlsx":
		ds, err = dataset.ReadXLSXContext(ctx, name, file, data)
	case ".csv":
		if dict == nil {
			return "", "", nil, diag.At(file, 0, "a CSV dataset comes with its indicator dictionary", "put "+name+drafts.DictionarySuffix+" beside it (code, name_en, name_zh, unit_en, unit_zh, decimals, ...)")
		}
		ds, err = dataset.ReadCSVContext(ctx, name, file, data, strings.TrimSuffix(file, ".csv")+drafts.DictionarySuffix, dict)
	default:
		return "", "", nil, diag.At(file, 0, fmt.Sprintf("datasets are .xlsx or .csv, not %q", ext), "save the table as XLSX or CSV (UTF-8)")
	}
	if err != nil {
		return "", "", nil, err
	}
	return name, ext, ds.Warnings, nil
}

func splitName(file string) (string, string) {
	base := filepath.Base(file)
	ext := strings.ToLower(filepath.Ext(base))
	return strings.TrimSuffix(base, filepath.Ext(base)), ext
}

// SubmitChapter checks a chapter draft and stores it as a new revision.
// author overrides the first author of the front matter as the
// submitter's name when not empty.
func SubmitChapter(ctx context.Context, r *drafts.Repo, file string, data []byte, author string) (drafts.Result, error) {
	ch, pub, err := CheckChapter(ctx, r, file, data)
	if err != nil {
		return drafts.Result{}, err
	}
	if r.Judge != nil {
		if err := r.Judge(ctx, file, data); err != nil {
			return drafts.Result{}, err
		}
	}
	if author == "" && len(ch.Meta.Authors) > 0 {
		author = ch.Meta.Authors[0]
	}
	return r.Put(ctx, drafts.Upload{Pub: pub.ID, Kind: drafts.Chapters, Item: ch.Meta.Chapter, Lang: ch.Meta.Lang, Ext: ".md",
		ContentType: "text/markdown; charset=utf-8", Data: data, Author: author, File: file, TranslatedFrom: ch.Meta.TranslatedFrom})
}

// SubmitFigure checks an image and stores it as a new revision of the
// figure named by its file name.
func SubmitFigure(ctx context.Context, r *drafts.Repo, pub, file string, data []byte, author string) (drafts.Result, error) {
	name, ext, err := CheckFigure(file, data)
	if err != nil {
		return drafts.Result{}, err
	}
	if _, err := r.Publication(ctx, pub); err != nil {
		return drafts.Result{}, diag.At(file, 0, err.Error(), "")
	}
	ctype := "image/png"
	if ext != ".png" {
		ctype = "image/jpeg"
	}
	return r.Put(ctx, drafts.Upload{Pub: pub, Kind: drafts.Figures, Item: name, Ext: ext, ContentType: ctype, Data: data, Author: author, File: file})
}

// SubmitDataset validates a dataset and stores it as a new revision: a
// workbook alone, or a CSV table together with its dictionary (dict),
// which is stored as the dataset <name>-indicators.
func SubmitDataset(ctx context.Context, r *drafts.Repo, pub, file string, data, dict []byte, author string) ([]drafts.Result, diag.List, error) {
	name, ext, warnings, err := CheckDataset(ctx, file, data, dict)
	if err != nil {
		return nil, nil, err
	}
	if _, err := r.Publication(ctx, pub); err != nil {
		return nil, nil, diag.At(file, 0, err.Error(), "")
	}
	ctype := "text/csv; charset=utf-8"
	if ext == ".xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	res, err := r.Put(ctx, drafts.Upload{Pub: pub, Kind: drafts.Datasets, Item: name, Ext: ext, ContentType: ctype, Data: data, Author: author, File: file})
	if err != nil {
		return nil, nil, err
	}
	out := []drafts.Result{res}
	if dict != nil {
		dfile := strings.TrimSuffix(filepath.Base(filepath.ToSlash(file)), ".csv") + drafts.DictionarySuffix
		res, err := r.Put(ctx, drafts.Upload{Pub: pub, Kind: drafts.Datasets, Item: name + "-indicators", Ext: ".csv", ContentType: ctype, Data: dict, Author: author, File: dfile})
		if err != nil {
			return nil, nil, err
		}
		out = append(out, res)
	}
	return out, warnings, nil
}

// CheckBibliography checks a bibliography file: BibTeX (.bib) or
// CSL-JSON (.json) within the size limit, every entry readable, with an
// author, a year and a title, and no key twice. It returns the file's
// name (the item it is stored as) and extension.
func CheckBibliography(file string, data []byte) (name, ext string, err error) {
	base := filepath.Base(filepath.ToSlash(file))
	name, ext = publication.BibliographyName(base)
	if ext != ".bib" && ext != ".json" {
		return "", "", diag.At(file, 0, fmt.Sprintf("bibliographies are BibTeX (.bib) or CSL-JSON (.json), not %q", ext), "export the references from Zotero, JabRef or EndNote as BibTeX or CSL JSON")
	}
	if !publication.ValidID(name) {
		return "", "", diag.At(file, 0, fmt.Sprintf("bibliography name %q is not valid", name), "rename the file with "+publication.IDPattern)
	}
	var es []*bib.Entry
	if ext == ".json" {
		es, err = bib.ParseCSLJSON(file, data)
	} else {
		es, err = bib.ParseBibTeX(file, data)
	}
	var errs diag.List
	errs.Merge(err)
	errs.Merge(bib.Check(es))
	_, err = bib.NewLibrary(es)
	errs.Merge(err)
	if err := errs.Err(); err != nil {
		return "", "", err
	}
	return name, ext, nil
}

// SubmitBibliography checks a bibliography file and stores it as a new
// revision of the bibliography of its name.
func SubmitBibliography(ctx context.Context, r *drafts.Repo, pub, file string, data []byte, author string) (drafts.Result, error) {
	name, ext, err := CheckBibliography(file, data)
	if err != nil {
		return drafts.Result{}, err
	}
	p, err := r.Publication(ctx, pub)
	if err != nil {
		return drafts.Result{}, diag.At(file, 0, err.Error(), "")
	}
	if !slices.Contains(p.Bibliography, name+ext) {
		return drafts.Result{}, diag.At(file, 0, fmt.Sprintf("publication %s does not list %s under bibliography:", pub, name+ext),
			"add it to publication.yaml (bibliography: ["+name+ext+"]) and push the publication, or rename the file as it is listed")
	}
	ctype := "application/x-bibtex; charset=utf-8"
	if ext == ".json" {
		ctype = "application/vnd.citationstyles.csl+json"
	}
	return r.Put(ctx, drafts.Upload{Pub: pub, Kind: drafts.Bibliographies, Item: name, Ext: ext, ContentType: ctype, Data: data, Author: author, File: file})
}

// SubmitGlossary checks a glossary file (glossary.yaml: each term with
// its English and Chinese, and optionally a definition) and stores it as a
// new revision, under the name publication.yaml gives it.
func SubmitGlossary(ctx context.Context, r *drafts.Repo, pub, file string, data []byte, author string) (drafts.Result, error) {
	base := filepath.Base(filepath.ToSlash(file))
	if _, err := glossary.Parse(file, data); err != nil {
		return drafts.Result{}, err
	}
	p, err := r.Publication(ctx, pub)
	if err != nil {
		return drafts.Result{}, diag.At(file, 0, err.Error(), "")
	}
	if p.Glossary != base {
		return drafts.Result{}, diag.At(file, 0, fmt.Sprintf("publication %s does not name %s as its glossary", pub, base),
			"add glossary: "+base+" to publication.yaml and push the publication, or rename the file as it is named there")
	}
	name, ext := publication.BibliographyName(base)
	return r.Put(ctx, drafts.Upload{Pub: pub, Kind: drafts.Glossaries, Item: name, Ext: ext, ContentType: "application/yaml; charset=utf-8", Data: data, Author: author, File: file})
}

// Submit checks an invited author's file within the invitation's scope
// (sub names the publication, kind, item and language the link is for)
// and stores it only if it passes every check of aceo submit. A file
// that passes but is not the one invited is a *drafts.ScopeError. It
// returns the revision stored and, for a dataset, the warnings.
func Submit(ctx context.Context, r *drafts.Repo, sub drafts.Submission) (drafts.Result, diag.List, error) {
	name, data := sub.File, sub.Data
	switch sub.Kind {
	case drafts.Chapters:
		ch, _, err := CheckChapter(ctx, r, name, data)
		if err != nil {
			return drafts.Result{}, nil, err
		}
		m := ch.Meta
		switch {
		case m.Publication != sub.Pub:
			return drafts.Result{}, nil, &drafts.ScopeError{Line: ms.FrontLine(data, "publication"), Msg: fmt.Sprintf("this link is for publication %s; the draft says %s", sub.Pub, m.Publication), Hint: "set publication: " + sub.Pub + " in the front matter"}
		case m.Chapter != sub.Item:
			return drafts.Result{}, nil, &drafts.ScopeError{Line: ms.FrontLine(data, "chapter"), Msg: fmt.Sprintf("this link is for chapter %s; the draft says %s", sub.Item, m.Chapter), Hint: "ask the editor for a link to chapter " + m.Chapter + ", or submit chapter " + sub.Item}
		case m.Lang != sub.Lang:
			return drafts.Result{}, nil, &drafts.ScopeError{Line: ms.FrontLine(data, "lang"), Msg: fmt.Sprintf("this link is for the %s text; the draft says lang: %s", sub.Lang, m.Lang), Hint: "submit the " + sub.Lang + " text of the chapter through this link"}
		}
		res, err := SubmitChapter(ctx, r, name, data, sub.Author)
		return res, nil, err
	case drafts.Figures:
		fig, _, err := CheckFigure(name, data)
		if err != nil {
			return drafts.Result{}, nil, err
		}
		if fig != sub.Item {
			return drafts.Result{}, nil, &drafts.ScopeError{Msg: fmt.Sprintf("this link is for figure %s; the file is named %s", sub.Item, name), Hint: "name the file " + sub.Item + path.Ext(name)}
		}
		res, err := SubmitFigure(ctx, r, sub.Pub, name, data, sub.Author)
		return res, nil, err
	case drafts.Datasets:
		set, _, _, err := CheckDataset(ctx, name, data, sub.Dict)
		if err != nil {
			return drafts.Result{}, nil, err
		}
		if set != sub.Item {
			return drafts.Result{}, nil, &drafts.ScopeError{Msg: fmt.Sprintf("this link is for dataset %s; the file is named %s", sub.Item, name), Hint: "name the file " + sub.Item + path.Ext(name)}
		}
		res, warnings, err := SubmitDataset(ctx, r, sub.Pub, name, data, sub.Dict, sub.Author)
		if err != nil || len(res) == 0 {
			return drafts.Result{}, nil, err
		}
		return res[0], warnings, nil
	}
	return drafts.Result{}, nil, fmt.Errorf("intake: no submissions of kind %q", sub.Kind)
}

// Desk is a repository's intake for the upload page: it submits invited
// files to Repo through Submit.
type Desk struct{ *drafts.Repo }

// Submit checks and stores an invited file (see the package's Submit).
func (d Desk) Submit(ctx context.Context, sub drafts.Submission) (drafts.Result, diag.List, error) {
	return Submit(ctx, d.Repo, sub)
}

// Repository is the repository the desk stores into.
func (d Desk) Repository() *drafts.Repo { return d.Repo }

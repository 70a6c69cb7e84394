// Package build assembles editions of a publication: it loads the
// publication definition and its chapter drafts, checks that every chapter
// exists in every language, numbers and cross-references each edition, and
// typesets the English and Chinese PDFs.
package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aceo-project/aceo/pipeline/activity"
	"github.com/aceo-project/aceo/pipeline/bib"
	"github.com/aceo-project/aceo/pipeline/dataset"
	"github.com/aceo-project/aceo/pipeline/diag"
	"github.com/aceo-project/aceo/pipeline/figure"
	"github.com/aceo-project/aceo/pipeline/glossary"
	"github.com/aceo-project/aceo/pipeline/intake"
	"github.com/aceo-project/aceo/pipeline/manifest"
	ms "github.com/aceo-project/aceo/pipeline/manuscript"
	"github.com/aceo-project/aceo/pipeline/progress"
	"github.com/aceo-project/aceo/pipeline/publication"
	"github.com/aceo-project/aceo/pipeline/safedir"
	"github.com/aceo-project/aceo/pipeline/typeset"
)

// Sources is a publication with its drafts, read from a directory.
type Sources struct {
	Pub *publication.Publication
	// Config is what the publication is built with, resolved when the
	// sources were loaded.
	Config   *Config
	Chapters map[string]map[string]*ms.Chapter // chapter id -> lang -> draft
	Images   map[string]*typeset.Image         // figure Src -> image
	Datasets map[string]*dataset.Dataset       // datasets the tables use, by name
	// DatasetInputs says where each dataset came from (file or revision)
	// and its SHA-256, for the data annex.
	DatasetInputs map[string]manifest.Input
	// Register and Records are the plan tracker the appendices report on;
	// ActivityInputs says where the records came from.
	Register       *activity.Register
	Records        []activity.Record
	ActivityInputs []manifest.Input
	// Bib is the bibliography the chapters cite from (nil: none).
	Bib *bib.Library
	// Glossary explains the terms the chapters use (nil: none).
	Glossary *glossary.Glossary
	// Inputs lists every input read: the definition, chapter drafts,
	// figures, datasets and activity records, with revisions and hashes.
	Inputs []manifest.Input
	// Problems found by a lenient load (Options.Lenient).
	Problems diag.List
	// missing says, for a dataset that tables name but that is not there,
	// where it was looked for and how to add it; broken names the file of
	// a dataset that is there but cannot be read (its own errors say why).
	// The tables that use them report the first at their own lines, and
	// leave the second to the dataset's errors.
	missing map[string]string
	broken  map[string]string
	// srcWarnings are tables and charts of the Chinese edition that print
	// an English source, for the preflight (editions may be assembled at
	// the same time: mu guards it)
	mu          sync.Mutex
	srcWarnings []*diag.Error
	// claimed holds "chapter/lang" of drafts that could not be read, so
	// that their chapter is not also reported missing: their own errors
	// say what is wrong.
	claimed map[string]bool
}

// claim records that a draft of chapter in lang is there but cannot be
// read.
func (s *Sources) claim(chapter, lang string) {
	if chapter == "" || lang == "" {
		return
	}
	if s.claimed == nil {
		s.claimed = map[string]bool{}
	}
	s.claimed[chapter+"/"+lang] = true
}

// LoadDir reads publication.yaml and every *.md draft below dir. Drafts are
// matched to the publication's chapters by their front matter, so files may
// be named and arranged freely. All problems are reported at once.
func LoadDir(dir string) (*Sources, error) {
	return Load(dir, Options{})
}

// Load is LoadDir that, when opt names templates and fonts, starts loading
// the template's fonts while the drafts are read.
func Load(dir string, opt Options) (*Sources, error) {
	return loadDir(context.Background(), dir, opt)
}

// loadDir reads the publication of dir and assembles it through a
// dirResolver.
func loadDir(ctx context.Context, dir string, opt Options) (*Sources, error) {
	// every file is read through root: regular files inside dir only
	root, err := safedir.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("open publication directory: %w", err)
	}
	defer root.Close()
	pubData, err := root.ReadFile("publication.yaml", maxDefinitionSize, "publication definition")
	if err != nil {
		return nil, fmt.Errorf("read publication definition: %w", err)
	}
	pub, err := publication.Parse(root.Name("publication.yaml"), pubData)
	if err != nil {
		return nil, err
	}
	pub.Dir = dir
	cfg, err := NewConfig(pub, opt)
	if err != nil {
		return nil, err
	}
	go cfg.preloadFonts() // while the drafts are read
	res := &dirResolver{dir: dir, root: root, pub: pub}
	defer res.close()
	return assemble(ctx, pub, manifest.Input{Kind: manifest.InPublication, Item: pub.ID, Key: pub.File, SHA256: sha(pubData)}, res, cfg, opt)
}

// maxDefinitionSize bounds publication.yaml.
const maxDefinitionSize = 1 << 20

// keep returns err, or, for a lenient load, files it under the sources'
// problems (classified by code) and returns nil so that loading goes on.
func (s *Sources) keep(opt Options, err error, code string) error {
	if err == nil || !opt.Lenient {
		return err
	}
	s.Problems = append(s.Problems, diag.WithCode(err, code)...)
	return nil
}

func (s *Sources) add(ch *ms.Chapter) diag.List {
	m := ch.Meta
	if errs := intake.Membership(s.Pub, ch); len(errs) > 0 {
		return errs
	}
	if s.Chapters[m.Chapter] == nil {
		s.Chapters[m.Chapter] = map[string]*ms.Chapter{}
	}
	if prev := s.Chapters[m.Chapter][m.Lang]; prev != nil {
		return diag.List{diag.At(ch.File, 1, fmt.Sprintf("chapter %q in %q is also in %s", m.Chapter, m.Lang, prev.File),
			"keep one draft per chapter and language")}
	}
	s.Chapters[m.Chapter][m.Lang] = ch
	return nil
}

// readImages resolves every figure the drafts use through read, which
// returns the image bytes or an error with a hint.
func (s *Sources) readImages(read func(src string) ([]byte, string, error)) error {
	var errs diag.List
	for _, id := range s.Pub.Chapters {
		for _, lang := range s.Pub.Languages {
			ch := s.Chapters[id][lang]
			if ch == nil {
				continue
			}
			ch.Walk(func(b ms.Block) {
				f, ok := b.(*ms.Figure)
				if !ok || s.Images[f.Src] != nil {
					return
				}
				if strings.Contains(f.Src, "..") || filepath.IsAbs(f.Src) || !strings.HasPrefix(f.Src, "figures/") {
					errs.Add(diag.At(ch.File, f.SrcLine, fmt.Sprintf("figure path %q is not under figures/", f.Src), "write figures/<name>.png"))
					return
				}
				data, hint, err := read(f.Src)
				var de *diag.Error
				switch {
				case err != nil && !errors.Is(err, fs.ErrNotExist) && errors.As(err, &de):
					errs.Add(diag.At(ch.File, f.SrcLine, fmt.Sprintf("figure %q: %s", f.Src, de.Msg), de.Hint))
					return
				case err != nil:
					errs.Add(diag.At(ch.File, f.SrcLine, fmt.Sprintf("figure %q not found", f.Src), hint))
					return
				}
				img, err := decodeImage(f.Src, data)
				if err != nil {
					hint := "submit a PNG or JPEG file"
					if fe, ok := err.(*figure.Error); ok {
						hint = fe.Hint
						err = fmt.Errorf("figure %q: %s", f.Src, fe.Msg)
					}
					errs.Add(diag.At(ch.File, f.SrcLine, err.Error(), hint))
					return
				}
				s.Images[f.Src] = img
			})
		}
	}
	return errs.Err()
}

// decodeImage checks a figure as a submission is checked (figure.Check).
func decodeImage(name string, data []byte) (*typeset.Image, error) {
	info, err := figure.Check(data)
	if err != nil {
		return nil, err
	}
	typ := map[string]string{"png": "png", "jpeg": "jpg"}[info.Format]
	return &typeset.Image{Name: name, Type: typ, Data: data, W: info.W, H: info.H}, nil
}

// Edition assembles the numbered, cross-referenced chapters of one
// language. A chapter missing in that language is an error.
func (s *Sources) Edition(t *typeset.Template, lang string) (*typeset.Edition, error) {
	ed, probs := s.edition(t, lang, false)
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return ed, nil
}

// edition assembles one language's edition and returns what is wrong with
// it. A strict edition stops at the first kind of problem (and is nil
// then); a draft edition goes on: a chapter missing in the language is
// the English text (or any there is) under a "translation pending" note,
// a table or chart that cannot be made is a note in its place, and a
// reference to a missing label reads "??".
func (s *Sources) edition(t *typeset.Template, lang string, draft bool) (*typeset.Edition, diag.List) {
	var probs diag.List
	var chs []*ms.Chapter
	for _, id := range s.Pub.Chapters {
		ch := s.Chapters[id][lang]
		if ch != nil {
			c := ch.Clone()
			if slices.Contains(s.Pub.Front, id) {
				c.Front, c.Unnumbered = true, true
			}
			chs = append(chs, c)
			continue
		}
		code := CodeMissingTranslation
		if lang == ms.SourceLang {
			code = CodeMissingChapter
		}
		if s.claimed[id+"/"+lang] {
			// its draft is there but cannot be read: its errors say why
			if draft {
				chs = append(chs, s.pending(t, id, lang))
			}
			continue
		}
		e := diag.At(s.Pub.File, s.Pub.ChapterLine[id], fmt.Sprintf("chapter %q has no %s draft", id, lang),
			"add a draft with 'chapter: "+id+"' and 'lang: "+lang+"' in its front matter")
		e.Code = code
		probs.Add(e)
		if draft {
			chs = append(chs, s.pending(t, id, lang))
		}
	}
	if len(probs) > 0 && !draft {
		return nil, probs
	}
	format := func(kind, number string) string {
		key := map[string]string{"ch": "chapter_n", "appx": "appendix_n", "sec": "section_n", "tbl": "table_n", "fig": "figure_n", "box": "box_n"}[kind]
		f := t.Label(lang, key)
		if kind == "ch" {
			f = strings.Replace(f, "%d", "%s", 1)
		}
		return fmt.Sprintf(f, number)
	}
	// Numbering writes into the chapters: they are copies, so that the
	// two editions can be built at the same time.
	if err := s.expandTables(chs, t, lang, draft); err != nil {
		probs = append(probs, diag.WithCode(err, CodeDataset)...)
		if !draft {
			return nil, probs
		}
	}
	chs, cprobs := s.cite(chs, t, lang)
	if len(cprobs) > 0 {
		probs = append(probs, cprobs...)
		if !draft {
			return nil, probs
		}
	}
	appx, err := s.appendices(t, lang)
	if err != nil {
		probs = append(probs, diag.WithCode(err, CodeActivities)...)
		if !draft {
			return nil, probs
		}
	}
	chs = append(chs, appx...)
	abbrs, gloss := s.terms(chs, t, lang)
	if gloss != nil {
		chs = append(chs, gloss)
	}
	if _, err := ms.Number(chs, format); err != nil {
		probs = append(probs, diag.WithCode(err, CodeBrokenReference)...)
		if !draft {
			return nil, probs
		}
	}
	return &typeset.Edition{Lang: lang, Pub: s.Pub, Chapters: chs, Images: s.Images, Abbreviations: abbrs, Index: indexEntries(chs)}, probs
}

// pending stands in, in a draft edition, for chapter id missing in lang:
// the English draft (or the first language there is) under a note that
// the translation is pending, or a note alone when there is no draft.
func (s *Sources) pending(t *typeset.Template, id, lang string) *ms.Chapter {
	var src *ms.Chapter
	if en := s.Chapters[id][ms.SourceLang]; en != nil {
		src = en
	} else {
		for _, l := range s.Pub.Languages {
			if c := s.Chapters[id][l]; c != nil {
				src = c
				break
			}
		}
	}
	note := &ms.Quote{Blocks: []ms.Block{&ms.Paragraph{Content: []ms.Span{{Text: t.Label(lang, "translation_pending_note"), Style: ms.Bold}}}}}
	if src == nil {
		return &ms.Chapter{File: s.Pub.File, Meta: ms.FrontMatter{Publication: s.Pub.ID, Chapter: id, Lang: lang, Title: id},
			Blocks: []ms.Block{&ms.Paragraph{Content: []ms.Span{{Text: t.Label(lang, "no_draft_note"), Style: ms.Bold}}}}}
	}
	ch := src.Clone()
	ch.Meta.Title += " " + t.Label(lang, "translation_pending_title")
	ch.Blocks = append([]ms.Block{note}, ch.Blocks...)
	return ch
}

// Options control a build.
type Options struct {
	// Templates (templates.FS by default) and Fonts (the system's font
	// directories by default) resolve the sources' Config when they are
	// loaded; the later steps take them from there.
	Templates fs.FS
	Fonts     *typeset.FontSet
	Languages []string // default: the publication's
	// Progress is told how the rendering and uploads go (nil: nothing).
	Progress progress.Reporter
	// Cache, when set, keeps parsed inputs, layouts and PDFs from one
	// build to the next (aceo watch).
	Cache *Cache
	// Revisions, when set, keeps the bytes of stored revisions on the
	// builder's disk from one process to the next.
	Revisions *RevisionCache
	// Candidate, when set, is a draft being judged (aceo validate, a
	// submission): it takes the place of the draft of its chapter and
	// language, in a directory or in the store, so that it is checked in
	// the context of the rest of its publication.
	Candidate *ms.Chapter
	// Lenient loading files what is wrong with the drafts, figures,
	// datasets and records under Sources.Problems and goes on, so that
	// a preflight reports everything at once and a preview can render
	// what there is.
	Lenient bool
}

// CheckLanguages checks that every language asked for (--lang) is one the
// publication is published in; an error lists them.
func CheckLanguages(pub *publication.Publication, langs []string) error {
	for _, l := range langs {
		if !slices.Contains(pub.Languages, l) {
			hint := ""
			if low := strings.ToLower(strings.TrimSpace(l)); low != l && slices.Contains(pub.Languages, low) {
				hint = fmt.Sprintf(" (languages are written in lower case: %s)", low)
			}
			return fmt.Errorf("language %q is not one of publication %s's: use %s%s", l, pub.ID, strings.Join(pub.Languages, " or "), hint)
		}
	}
	return nil
}

// Output is one built edition.
type Output struct {
	Lang    string
	PDF     []byte
	Pages   int
	Edition *typeset.Edition // what was typeset, for the data annex
	Elapsed time.Duration    // time to lay out and write this edition
	// Summary is the summary for policymakers on its own (a PDF of
	// SummaryPages pages), when the publication names a summary chapter.
	Summary      []byte
	SummaryPages int
	// Contents is the edition's contents file (reading.Contents): its
	// chapters' pages, key messages and text, for the catalogue.
	Contents []byte
}

// Build typesets every edition of the publication, the editions in
// parallel. It returns the outputs in language order.
func Build(s *Sources, opt Options) ([]Output, error) {
	cfg, err := s.config(opt)
	if err != nil {
		return nil, err
	}
	if err := CheckLanguages(s.Pub, opt.Languages); err != nil {
		return nil, err
	}
	t := cfg.Template
	cfg.Fonts.Preload(t.PrimaryFontFiles())
	langs := opt.Languages
	if len(langs) == 0 {
		langs = s.Pub.Languages
	}
	// numbering writes into copies of the chapters: one edition at a time
	eds := map[string]*typeset.Edition{}
	var all diag.List
	for _, lang := range langs {
		ed, err := s.Edition(t, lang)
		if err != nil {
			all.Merge(err)
			continue
		}
		eds[lang] = ed
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	return buildEditions(s, cfg, opt, eds, langs, nil)
}

// BuildEditions typesets editions already assembled (by Preflight), in
// parallel, in the order of langs. With a preflight report rep of a
// preview, every page carries the draft mark and the report is the last
// page.
func BuildEditions(s *Sources, opt Options, eds map[string]*typeset.Edition, langs []string, rep *Report) ([]Output, error) {
	cfg, err := s.config(opt)
	if err != nil {
		return nil, err
	}
	return buildEditions(s, cfg, opt, eds, langs, rep)
}

func buildEditions(s *Sources, cfg *Config, opt Options, eds map[string]*typeset.Edition, langs []string, rep *Report) ([]Output, error) {
	t := cfg.Template
	outs := make([]Output, len(langs))
	errs := make([]error, len(langs))
	var wg sync.WaitGroup
	for i, lang := range langs {
		ed := eds[lang]
		if ed == nil {
			return nil, fmt.Errorf("no %s edition assembled", lang)
		}
		if rep != nil {
			ed.Draft = t.Label(lang, "draft_mark")
			ed.Chapters = append(ed.Chapters, reportChapter(t, lang, s, rep))
		}
		key := ""
		if opt.Cache != nil {
			ed.Cache = opt.Cache.Layout
			key = ed.Cache.EditionKey(t, cfg.Fonts, ed)
			if p, ok := opt.Cache.pdf(lang, key); ok {
				// nothing this edition depends on changed
				outs[i] = Output{Lang: lang, PDF: p.pdf, Pages: p.pages, Edition: ed, Summary: p.summary, SummaryPages: p.summaryPages}
				if opt.Progress != nil {
					opt.Progress.EditionDone(lang, p.pages)
				}
				continue
			}
		}
		wg.Add(1)
		go func(i int, ed *typeset.Edition) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = diag.Recovered(r, "the "+ed.Lang+" edition of "+s.Pub.ID)
				}
			}()
			outs[i], errs[i] = renderEdition(s, t, cfg.Fonts, ed, time.Now(), opt.Progress)
			if errs[i] == nil && key != "" {
				opt.Cache.putPDF(ed.Lang, cachedPDF{key: key, pdf: outs[i].PDF, pages: outs[i].Pages,
					summary: outs[i].Summary, summaryPages: outs[i].SummaryPages})
			}
		}(i, ed)
	}
	wg.Wait()
	var all diag.List
	for _, err := range errs {
		var ie *diag.InternalError
		if errors.As(err, &ie) {
			return nil, err // a bug, reported as such (exit status 3)
		}
		all.Merge(err)
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	return outs, nil
}

// reportChapter is a preview's last page: the preflight report.
func reportChapter(t *typeset.Template, lang string, s *Sources, rep *Report) *ms.Chapter {
	ch := &ms.Chapter{File: "preflight", Unnumbered: true,
		Meta: ms.FrontMatter{Publication: s.Pub.ID, Chapter: "preflight-report", Lang: lang, Title: t.Label(lang, "preflight_title")}}
	ch.Blocks = append(ch.Blocks, &ms.Paragraph{Content: []ms.Span{{Text: fmt.Sprintf(t.Label(lang, "preflight_summary"), len(rep.Errors), len(rep.Warnings))}}})
	list := func(title string, ps []Problem) {
		if len(ps) == 0 {
			return
		}
		ch.Blocks = append(ch.Blocks, &ms.Heading{Level: 3, Content: []ms.Span{{Text: fmt.Sprintf("%s (%d)", title, len(ps))}}})
		l := &ms.List{}
		for _, p := range ps {
			// what and where, without the hint: the command line and the
			// JSON report give it, and it holds values (the hash of the
			// English draft) that would make every preview page change
			q := p
			q.Hint = ""
			l.Items = append(l.Items, []ms.Block{&ms.Paragraph{Content: []ms.Span{{Text: p.Code, Style: ms.Bold}, {Text: " " + q.String()}}}})
		}
		ch.Blocks = append(ch.Blocks, l)
	}
	list(t.Label(lang, "preflight_errors"), rep.Errors)
	list(t.Label(lang, "preflight_warnings"), rep.Warnings)
	if rep.OK() && len(rep.Warnings) == 0 {
		ch.Blocks = append(ch.Blocks, &ms.Paragraph{Content: []ms.Span{{Text: t.Label(lang, "preflight_none")}}})
	}
	return ch
}

func renderEdition(s *Sources, t *typeset.Template, fs *typeset.FontSet, ed *typeset.Edition, start time.Time, rep progress.Reporter) (Output, error) {
	lang := ed.Lang
	if rep != nil {
		ed.Progress = func(n int) { rep.Pages(lang, n) }
	}
	doc, err := typeset.Render(t, fs, ed)
	if err != nil {
		return Output{}, err
	}
	doc.Creator = "aceo " + s.Pub.ID
	var buf bytes.Buffer
	if err := typeset.WritePDF(&buf, doc, ed.Time()); err != nil {
		return Output{}, fmt.Errorf("%s edition: %w", lang, err)
	}
	out := Output{Lang: lang, PDF: buf.Bytes(), Pages: len(doc.Pages), Edition: ed}
	contents, err := editionContents(s, t, fs, ed, doc)
	if err != nil {
		return Output{}, err
	}
	if out.Contents, err = contents.Marshal(); err != nil {
		return Output{}, err
	}
	if out.Summary, out.SummaryPages, err = renderSummary(s, t, fs, ed); err != nil {
		return Output{}, err
	}
	if rep != nil {
		rep.EditionDone(lang, len(doc.Pages))
	}
	out.Elapsed = time.Since(start)
	return out, nil
}

// renderSummary typesets the summary for policymakers of edition ed on
// its own, when the publication names one: nil for an excerpt or a
// publication without a summary.
func renderSummary(s *Sources, t *typeset.Template, fs *typeset.FontSet, ed *typeset.Edition) ([]byte, int, error) {
	id := s.Pub.SummaryChapter
	if id == "" || ed.Excerpt {
		return nil, 0, nil
	}
	for _, ch := range ed.Chapters {
		if ch.Meta.Chapter != id {
			continue
		}
		sed := &typeset.Edition{Lang: ed.Lang, Pub: ed.Pub, Chapters: []*ms.Chapter{ch}, Images: ed.Images,
			Draft: ed.Draft, Excerpt: true, Summary: true}
		doc, err := typeset.Render(t, fs, sed)
		if err != nil {
			return nil, 0, fmt.Errorf("%s summary for policymakers: %w", ed.Lang, err)
		}
		doc.Creator = "aceo " + s.Pub.ID
		doc.Subject = t.Label(ed.Lang, "summary_for_policymakers")
		var buf bytes.Buffer
		if err := typeset.WritePDF(&buf, doc, ed.Time()); err != nil {
			return nil, 0, fmt.Errorf("%s summary for policymakers: %w", ed.Lang, err)
		}
		return buf.Bytes(), len(doc.Pages), nil
	}
	return nil, 0, nil
}

// SummaryName is the name of an edition's summary for policymakers:
// <publication>-summary-<lang>.pdf.
func SummaryName(pub *publication.Publication, lang string) string {
	return pub.ID + "-summary-" + lang + ".pdf"
}

// FileName is the name of an edition's PDF: <publication>-<lang>.pdf.
func FileName(pub *publication.Publication, lang string) string {
	return pub.ID + "-" + lang + ".pdf"
}
